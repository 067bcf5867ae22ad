package io.replagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetUrlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        rsync://rsync_backup@172.16.1.41/data   | rsync_backup | 172.16.1.41 | 873   | data   | ''    | rsync://rsync_backup@172.16.1.41:873/data/
        rsync://host/m                          | ''           | host        | 873   | m      | ''    | rsync://host:873/m/
        rsync://u@host.example:8873/m/sub/dir/  | u            | host.example| 8873  | m      | sub/dir | rsync://u@host.example:8873/m/sub/dir/
        rsync://[::1]:18873/backup              | ''           | ::1         | 18873 | backup | ''    | rsync://[::1]:18873/backup/
        rsync://u@[fe80::1%eth0]/m              | u            | fe80::1%eth0| 873   | m      | ''    | rsync://u@[fe80::1%eth0]:873/m/
        """)
    void parsesDaemonUrls(String url, String user, String host, int port, String module, String path, String destination) {
        Target.Endpoint endpoint = TargetUrl.parse(url);
        assertEquals(new Target.Daemon(user, host, port, module, path), endpoint);
        assertEquals(destination, endpoint.rsyncDestination());
    }

    @Test
    void anAbsolutePathIsALocalTarget() {
        assertEquals(new Target.Local(Path.of("/backup/data")), TargetUrl.parse("/backup/data"));
        assertEquals("/backup/data/", TargetUrl.parse("/backup/data").rsyncDestination());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"rsync://u@h/m,h/m", "rsync://h:1/m/a/b,h/m/a/b", "rsync://[::1]/m,::1/m", "/backup/x,/backup/x"})
    void aTargetWithoutNameIsNamedByWhereItGoes(String url, String name) {
        assertEquals(name, TargetUrl.defaultName(TargetUrl.parse(url)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        rsync://host                   | the url names no module: rsync://host/MODULE
        rsync://host/                  | the url names no module: rsync://host/MODULE
        rsync:///m                     | the url has no host
        rsync://h:0/m                  | invalid port '0' (1-65535)
        rsync://h:x/m                  | invalid port 'x' (1-65535)
        rsync://h:/m                   | invalid port '' (1-65535)
        rsync://fe80::1/m              | an IPv6 address goes in brackets: rsync://[ADDRESS]:PORT/module
        rsync://[zz::1]/m              | invalid IPv6 address [zz::1]
        rsync://bad user@h/m           | invalid user 'bad user' in the url
        rsync://@h/m                   | invalid user '' in the url
        rsync://u:hunter2@h/m          | a password in the url would show in process listings: use password_file or password
        rsync://h_x/m                  | invalid host 'h_x' (IPv6 addresses go in brackets)
        rsync://h/.m                   | invalid module name '.m'
        rsync://h/m/../x               | the path in the module must not contain '..' (it is resolved after symlinks): write the path it means
        /data/../etc                   | a path must not contain '..' (it is resolved after symlinks): write the path it means
        ssh://h/m                      | must be rsync://[user@]host[:port]/module[/path] or an absolute path
        RSYNC://h/m                    | must be rsync://[user@]host[:port]/module[/path] or an absolute path
        """)
    void refusesWithAReason(String url, String reason) {
        assertEquals(reason, assertThrows(IllegalArgumentException.class, () -> TargetUrl.parse(url)).getMessage());
    }
}
