package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SchemaCheckTest {

    /** Only the schema's findings, without the semantic checks. */
    static List<String> schemaProblems(String yaml) throws InvalidStateException {
        YamlTree.Parsed parsed = YamlTree.parse("f", yaml.getBytes(StandardCharsets.UTF_8));
        Problems problems = new Problems("f", parsed.marks());
        SchemaCheck.check(parsed.root(), problems);
        return problems.sorted().stream().map(StateFileTest::located).toList();
    }

    /**
     * Each rule, failing then passing. The documents are one line of flow YAML so that the position is the column;
     * {@code |} stands for a line break.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        version is required      ; {settings: {}}                                  ; 1:1: missing required key 'version'                                  ; {version: 1}
        version is 1             ; {version: 2}                                    ; 1:11: must be 1                                                      ; {version: 1}
        version is a number      ; {version: "1"}                                  ; '1:11: "1" is a string, write 1 (unquoted)'                          ; {version: 1}
        unknown key with hint    ; {version: 1, setings: {}}                       ; 1:14: unknown key 'setings', did you mean 'settings'?               ; {version: 1, settings: {}}
        unknown key without hint ; {version: 1, zzz: 1}                            ; 1:14: unknown key 'zzz'                                              ; {version: 1}
        quoted number            ; {version: 1, server: {port: "873"}}             ; '1:29: "873" is a string, write 873 (unquoted)'            ; {version: 1, server: {port: 873}}
        yes is not a boolean     ; {version: 1, server: {use_chroot: yes}}         ; 1:35: 'yes' is a string here: write true or false                   ; {version: 1, server: {use_chroot: true}}
        null value               ; {version: 1, server: {port: }}                  ; 1:28: no value given: expected integer                               ; {version: 1, server: {port: 1}}
        wrong type               ; {version: 1, watches: {}}                       ; 1:23: expected list, got mapping                                      ; {version: 1, watches: []}
        port range               ; {version: 1, server: {port: 65536}}             ; 1:29: must have a maximum value of 65535                              ; {version: 1, server: {port: 65535}}
        absolute path            ; {version: 1, settings: {state_dir: a/b}}        ; 1:36: must be an absolute path (starting with '/')                    ; {version: 1, settings: {state_dir: /a/b}}
        duration unit            ; {version: 1, server: {timeout: 5d}}             ; 1:32: must be a duration like 500ms, 1s, 2m or 1h (or 0)              ; {version: 1, server: {timeout: 5m}}
        duration plain number    ; {version: 1, server: {timeout: 30}}             ; 1:32: must be a duration like 500ms, 1s, 2m or 1h (or 0)              ; {version: 1, server: {timeout: 0}}
        mode is an octal string  ; {version: 1, server: {modules: [{name: m, path: /m, mode: 644}]}}  ; 1:59: must be an octal mode written as a string, like "0755"   ; {version: 1, server: {modules: [{name: m, path: /m, mode: 0644}]}}
        mode digits are octal    ; {version: 1, server: {modules: [{name: m, path: /m, mode: "0955"}]}} ; 1:59: must be an octal mode written as a string, like "0755" ; {version: 1, server: {modules: [{name: m, path: /m, mode: "755"}]}}
        names                    ; {version: 1, server: {run_as: ".x"}}            ; 1:31: must be a name of letters, digits, '_', '.' or '-' (at most 64, not starting with '.' or '-') ; {version: 1, server: {run_as: x.y}}
        enum with hint           ; {version: 1, server: {daemon: {manage: sytemd}}}; 1:40: 'sytemd' is not one of process, systemd, none, did you mean 'systemd'? ; {version: 1, server: {daemon: {manage: systemd}}}
        log level                ; {version: 1, settings: {log: {level: trace}}}   ; 1:38: 'trace' is not one of error, warn, info, debug                 ; {version: 1, settings: {log: {level: debug}}}
        inotify ensure           ; {version: 1, settings: {inotify: {ensure: up}}} ; 1:43: 'up' is not one of check, raise                               ; {version: 1, settings: {inotify: {ensure: raise, max_user_watches: 524288}}}
        secret one source        ; {version: 1, server: {users: [{name: u, password: {env: A, file: /f}}]}} ; 1:51: give exactly one of env, file or value ; {version: 1, server: {users: [{name: u, password: {file: /f}}]}}
        secret not empty         ; {version: 1, server: {users: [{name: u, password: {}}]}}                 ; 1:51: give exactly one of env, file or value ; {version: 1, server: {users: [{name: u, password: {value: p}}]}}
        secret env name          ; {version: 1, server: {users: [{name: u, password: {env: 1A}}]}}          ; 1:57: must be an environment variable name ; {version: 1, server: {users: [{name: u, password: {env: A_1}}]}}
        auth user access         ; {version: 1, server: {modules: [{name: m, path: /m, auth_users: [{name: u, access: all}]}]}} ; 1:84: 'all' is not one of ro, rw ; {version: 1, server: {modules: [{name: m, path: /m, auth_users: [u, {name: v, access: rw}]}]}}
        auth user name           ; {version: 1, server: {modules: [{name: m, path: /m, auth_users: ["a:b"]}]}} ; 1:66: must be a user name, or {name: NAME, access: ro|rw} ; {version: 1, server: {modules: [{name: m, path: /m, auth_users: [a_b]}]}}
        log format               ; {version: 1, settings: {log: {format: yaml}}}   ; 1:39: 'yaml' is not one of text, json                                ; {version: 1, settings: {log: {format: json}}}
        hook program absolute    ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], on_batch: {exec: [purge, -x]}}]} ; 1:86: must be an absolute path (starting with '/') ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], on_batch: {exec: [/bin/purge, -x]}}]}
        webhook is http          ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], on_batch: {webhook: "ftp://h/x"}}]} ; 1:88: must be an http:// or https:// URL ; {version: 1, watches: [{name: w, source: /a, targets: [{url: /x}], on_batch: {webhook: "https://h:8443/x?y=1"}}]}
        rsyncd extra names       ; {version: 1, server: {extra: {motd files: /m}}}  ; 1:31: unknown key 'motd files', did you mean 'motd file'?                 ; {version: 1, server: {extra: {motd file: /m}}}
        extra first-class        ; {version: 1, server: {extra: {port: 1}}}         ; 1:31: unknown key 'port': it has a key of its own, did you mean 'port'? ; {version: 1, server: {port: 1}}
        module extra not global  ; {version: 1, server: {modules: [{name: m, path: /m, extra: {motd file: /m}}]}} ; 1:61: unknown key 'motd file' ; {version: 1, server: {modules: [{name: m, path: /m, extra: {munge symlinks: no}}]}}
        module required keys     ; {version: 1, server: {modules: [{name: m}]}}     ; 1:33: missing required key 'path'                                   ; {version: 1, server: {modules: [{name: m, path: /m}]}}
        watch targets not empty  ; {version: 1, watches: [{name: w, source: /w, targets: []}]} ; 1:55: needs at least 1 item(s)                      ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}]}]}
        target url scheme        ; {version: 1, watches: [{name: w, source: /w, targets: [{url: "sftp://h/m"}]}]} ; 1:62: must be rsync://[user@]host[:port]/module[/path], ssh://user@host[:port]/path or an absolute path ; {version: 1, watches: [{name: w, source: /w, targets: [{url: "ssh://u@h/m"}]}]}
        ssh option allowed       ; {version: 1, watches: [{name: w, source: /w, targets: [{url: "ssh://u@h/m", ssh_options: {StrictHostKeyChecking: "no"}}]}]} ; 1:91: StrictHostKeyChecking is set by the agent: host keys are pinned by host_key and known_hosts ; {version: 1, watches: [{name: w, source: /w, targets: [{url: "ssh://u@h/m", ssh_options: {Ciphers: aes256-gcm@openssh.com}}]}]}
        ssh option spelt right   ; {version: 1, watches: [{name: w, source: /w, targets: [{url: "ssh://u@h/m", ssh_options: {Cipher: aes128-ctr}}]}]} ; 1:91: unknown key 'Cipher', did you mean 'Ciphers'? ; {version: 1, watches: [{name: w, source: /w, targets: [{url: "ssh://u@h/m", ssh_options: {Ciphers: aes128-ctr}}]}]}
        ssh option value         ; {version: 1, watches: [{name: w, source: /w, targets: [{url: "ssh://u@h/m", ssh_options: {Ciphers: "aes128-ctr -oProxyCommand=x"}}]}]} ; 1:100: must be a comma-separated list of algorithm names, optionally led by +, - or ^ ; {version: 1, watches: [{name: w, source: /w, targets: [{url: "ssh://u@h/m", ssh_options: {Ciphers: "^aes128-ctr,aes256-ctr"}}]}]}
        host key shape           ; {version: 1, watches: [{name: w, source: /w, targets: [{url: "ssh://u@h/m", host_key: "AAAAC3NzaC1lZDI1NTE5"}]}]} ; 1:87: must be a public key: TYPE BASE64 [comment], as in /etc/ssh/ssh_host_ed25519_key.pub ; {version: 1, watches: [{name: w, source: /w, targets: [{url: "ssh://u@h/m", host_key: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 host"]}]}]}
        events                   ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], events: [modify, open]}]} ; 1:85: 'open' is not one of close_write, modify, create, delete, move, attrib ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], events: [modify, attrib]}]}
        events unique            ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], events: [move, move]}]}   ; 1:76: lists the same item twice ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], events: [move]}]}
        delete modes             ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], delete: "true"}]} ; '1:76: "true" is a string, write true (unquoted)' ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], delete: running}]}
        max_delete percentage    ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], max_delete: "0%"}]} ; 1:80: must be a count like 1000 or a percentage like "50%" ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], max_delete: "100%"}]}
        max_delete count         ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], max_delete: -3}]}   ; 1:80: must be a count like 1000 or a percentage like "50%" ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], max_delete: 1000}]}
        max_processes            ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], max_processes: 0}]} ; 1:83: must have a minimum value of 1 ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], max_processes: 64}]}
        hosts one per item       ; {version: 1, server: {modules: [{name: m, path: /m, hosts_allow: ["10.0.0.1 10.0.0.2"]}]}} ; 1:67: one word per item: no spaces or commas ; {version: 1, server: {modules: [{name: m, path: /m, hosts_allow: [10.0.0.1, 10.0.0.0/8, host.example]}]}}
        incoming chmod syntax    ; {version: 1, server: {modules: [{name: m, path: /m, incoming_chmod: "u=rw rm"}]}} ; 1:69: must be rsync --chmod syntax like Du=rwx,go=rx,Fu=rw,go=r ; {version: 1, server: {modules: [{name: m, path: /m, incoming_chmod: "Du=rwx,go=rx,Fu=rw,go=r"}]}}
        rsync extra options      ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], rsync: {extra: [x]}}]} ; 1:84: must be an option starting with '-' ; {version: 1, watches: [{name: w, source: /w, targets: [{url: /t}], rsync: {extra: [-H]}}]}
        """)
    void eachRuleFailsAndPasses(String rule, String failing, String expected, String passing) throws Exception {
        assertEquals(List.of(expected), schemaProblems(failing), "failing case of: " + rule);
        assertEquals(List.of(), schemaProblems(passing), "passing case of: " + rule);
    }

    @Test
    void theSchemaIsDraft2020WithAnIdAndEveryObjectClosedAndEveryPropertyDescribed() throws Exception {
        JsonNode schema;
        try (InputStream in = StateFile.class.getResourceAsStream(StateFile.SCHEMA_RESOURCE)) {
            schema = JsonMapper.builder().build().readTree(in);
        }
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").stringValue());
        assertTrue(schema.path("$id").stringValue().startsWith("https://"));
        List<String> faults = new ArrayList<>();
        walk(schema, "", faults);
        assertEquals(List.of(), faults);
    }

    @Test
    void theSchemaIsValidAgainstTheDraft2020MetaSchema() throws Exception {
        JsonNode schema;
        try (InputStream in = StateFile.class.getResourceAsStream(StateFile.SCHEMA_RESOURCE)) {
            schema = JsonMapper.builder().build().readTree(in);
        }
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertEquals(List.of(), meta.validate(schema));
        JsonNode broken = JsonMapper.builder().build().readTree("{\"type\": \"objekt\", \"minItems\": -1}");
        assertTrue(meta.validate(broken).size() >= 2, "the meta-schema check can fail");
    }

    private static void walk(JsonNode node, String at, List<String> faults) {
        if (!node.isObject()) return;
        if (node.has("properties") && !node.path("additionalProperties").equals(JsonMapper.builder().build().getNodeFactory().booleanNode(false))) {
            faults.add(at + ": not closed (additionalProperties: false)");
        }
        node.path("properties").forEachEntry((name, property) -> {
            if (!property.path("description").isString()) faults.add(at + "/properties/" + name + ": no description");
        });
        node.forEachEntry((key, child) -> {
            if (child.isObject()) walk(child, at + "/" + key, faults);
            if (child.isArray()) child.forEach(item -> walk(item, at + "/" + key, faults));
        });
    }
}
