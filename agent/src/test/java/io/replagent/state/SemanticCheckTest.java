package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SemanticCheckTest {

    static List<String> semanticProblems(String yaml, boolean readableByOthers) throws InvalidStateException {
        YamlTree.Parsed parsed = YamlTree.parse("f", yaml.getBytes(StandardCharsets.UTF_8));
        Problems problems = new Problems("f", parsed.marks());
        SemanticCheck.check(parsed.root(), problems, Map.of("PW", "x"), readableByOthers);
        return problems.sorted().stream().map(StateFileTest::located).toList();
    }

    /** Each check, failing then passing, on one-line flow documents (the column is the position). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        no line breaks           ; {version: 1, server: {modules: [{name: m, path: /m, comment: "a\\nb"}]}}   ; 1:62: line breaks are not allowed in values ; {version: 1, server: {modules: [{name: m, path: /m, comment: "a b"}]}}
        socket path length       ; {version: 1, settings: {control_socket: /run/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/a.sock}} ; 1:41: a Unix socket path is limited to 107 bytes ; {version: 1, settings: {control_socket: /run/agent/agent.sock}}
        users unique             ; {version: 1, server: {users: [{name: u, password: {env: PW}}, {name: u, password: {env: PW}}]}} ; 1:70: duplicate user name 'u' ; {version: 1, server: {users: [{name: u, password: {env: PW}}, {name: v, password: {env: PW}}]}}
        modules unique           ; {version: 1, server: {modules: [{name: m, path: /a}, {name: m, path: /b}]}}   ; 1:61: duplicate module name 'm' ; {version: 1, server: {modules: [{name: m, path: /a}, {name: n, path: /b}]}}
        read and write only      ; {version: 1, server: {modules: [{name: m, path: /m, read_only: true, write_only: true}]}} ; 1:82: read_only and write_only together leave the module unusable ; {version: 1, server: {modules: [{name: m, path: /m, read_only: true, write_only: false}]}}
        auth users exist         ; {version: 1, server: {users: [{name: u, password: {env: PW}}], modules: [{name: m, path: /m, auth_users: [v]}]}} ; 1:107: auth user 'v' is not one of server.users, did you mean 'u'? ; {version: 1, server: {users: [{name: u, password: {env: PW}}], modules: [{name: m, path: /m, auth_users: [u]}]}}
        auth users once          ; {version: 1, server: {users: [{name: u, password: {env: PW}}], modules: [{name: m, path: /m, auth_users: [u, {name: u, access: ro}]}]}} ; 1:110: auth user 'u' is listed twice ; {version: 1, server: {users: [{name: u, password: {env: PW}}], modules: [{name: m, path: /m, auth_users: [{name: u, access: ro}]}]}}
        watches unique           ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}]}, {name: w, source: /b, targets: [{url: /y}]}]} ; 1:76: duplicate watch name 'w' ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}]}, {name: v, source: /b, targets: [{url: /y}]}]}
        target url parses        ; {version: 1, watches: [{name: w, source: /a, targets: [{url: "rsync://h:0/m"}]}]} ; 1:62: invalid port '0' (1-65535) ; {version: 1, watches: [{name: w, source: /a, targets: [{url: "rsync://h:1/m"}]}]}
        target names unique      ; {version: 1, watches: [{name: w, source: /a, targets: [{url: "rsync://h/m"}, {url: "rsync://h:8873/m"}]}]} ; 1:78: two targets named 'h/m' in this watch: set distinct names ; {version: 1, watches: [{name: w, source: /a, targets: [{url: "rsync://h/m"}, {name: other, url: "rsync://h:8873/m"}]}]}
        one password source      ; {version: 1, client: {password_files: [{path: /p, password: {env: PW}}]}, watches: [{name: w, source: /a, targets: [{url: "rsync://u@h/m", password_file: /p, password: {env: PW}}]}]} ; 1:169: give password or password_file, not both ; {version: 1, client: {password_files: [{path: /p, password: {env: PW}}]}, watches: [{name: w, source: /a, targets: [{url: "rsync://u@h/m", password_file: /p}]}]}
        password file known      ; {version: 1, watches: [{name: w, source: /a, targets: [{url: "rsync://u@h/m", password_file: /p}]}]} ; 1:94: warning: /p is not one of client.password_files: it must exist on this host ; {version: 1, client: {password_files: [{path: /p, password: {env: PW}}]}, watches: [{name: w, source: /a, targets: [{url: "rsync://u@h/m", password_file: /p}]}]}
        local takes no password  ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x, password: {env: PW}}]}]} ; 1:56: a local target takes no password ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}]}]}
        user needs password      ; {version: 1, watches: [{name: w, source: /a, targets: [{url: "rsync://u@h/m"}]}]} ; 1:56: target rsync://u@h/m names user 'u': give password_file or password ; {version: 1, watches: [{name: w, source: /a, targets: [{url: "rsync://u@h/m", password: {env: PW}}]}]}
        password needs user      ; {version: 1, watches: [{name: w, source: /a, targets: [{url: "rsync://h/m", password: {env: PW}}]}]} ; 1:56: a password without a user in the url is never sent: write rsync://USER@host/module ; {version: 1, watches: [{name: w, source: /a, targets: [{url: "rsync://h/m"}]}]}
        rsync options managed    ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], rsync: {extra: [--numeric-ids, --delete-after]}}]} ; 1:99: --delete is set by the agent: it cannot be given in rsync.extra ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], rsync: {extra: [--numeric-ids, --hard-links]}}]}
        rsh not in extra         ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], rsync: {extra: [-avze]}}]} ; 1:84: -e (--rsh) is set by the agent: it cannot be given in rsync.extra ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], rsync: {extra: [-avz]}}]}
        metrics listen form      ; {version: 1, settings: {metrics: {listen: ":9877"}}} ; 1:43: ':9877' is not HOST:PORT or PORT (e.g. 127.0.0.1:9877, [::1]:9877, 9877) ; {version: 1, settings: {metrics: {listen: 9877}}}
        metrics listen port      ; {version: 1, settings: {metrics: {listen: "127.0.0.1:70000"}}} ; 1:43: port 70000 is not between 1 and 65535 ; {version: 1, settings: {metrics: {listen: "127.0.0.1:9877"}}}
        metrics listen address   ; {version: 1, settings: {metrics: {listen: "256.1.1.1:9877"}}} ; 1:43: '256.1.1.1' is not an IP address (write it as digits, or localhost) ; {version: 1, settings: {metrics: {listen: "[::1]:9877"}}}
        metrics listen no names  ; {version: 1, settings: {metrics: {listen: "example.org:9877"}}} ; 1:43: 'example.org:9877' is not HOST:PORT or PORT (e.g. 127.0.0.1:9877, [::1]:9877, 9877) ; {version: 1, settings: {metrics: {listen: "0.0.0.0:9877"}}}
        textfile for node_exporter ; {version: 1, settings: {metrics: {textfile: /var/lib/m.txt}}} ; 1:45: node_exporter's textfile collector reads only files named *.prom ; {version: 1, settings: {metrics: {textfile: /var/lib/m.prom}}}
        webhook url parses       ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], on_batch: {webhook: "http://h/a b"}}]} ; 1:88: not a URL: Illegal character in path at index 10: http://h/a b ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], on_batch: {webhook: "http://h/a%20b"}}]}
        metrics need an output   ; {version: 1, settings: {metrics: {interval: 5s}}} ; 1:34: metrics needs listen, textfile or both ; {version: 1, settings: {metrics: {textfile: /m.prom}}}
        hook needs an action     ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], on_batch: {timeout: 5s}}]} ; 1:78: on_batch needs exec, webhook or both ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], on_batch: {webhook: "http://h/x"}}]}
        exclude everything       ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], exclude: [".*", "/*"]}]} ; 1:84: exclude '/*' matches every name: nothing under the source would be replicated ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], exclude: [".*", "/*/"]}]}
        env variable set         ; {version: 1, server: {users: [{name: u, password: {env: NOT_SET}}]}}          ; 1:57: warning: environment variable NOT_SET is not set (apply needs it) ; {version: 1, server: {users: [{name: u, password: {env: PW}}]}}
        """)
    void eachCheckFailsAndPasses(String check, String failing, String expected, String passing) throws Exception {
        assertEquals(List.of(expected), semanticProblems(failing, false), "failing case of: " + check);
        assertEquals(List.of(), semanticProblems(passing, false), "passing case of: " + check);
    }

    @Test
    void aLiteralPasswordIsAnErrorOnlyWhenOthersCanReadTheFile() throws Exception {
        String yaml = "{version: 1, server: {users: [{name: u, password: {value: p}}]}}";
        assertEquals(List.of("1:59: a literal password in a state file others can read: chmod o-r the file, or use env or file"),
                semanticProblems(yaml, true));
        assertEquals(List.of(), semanticProblems(yaml, false));
    }
}
