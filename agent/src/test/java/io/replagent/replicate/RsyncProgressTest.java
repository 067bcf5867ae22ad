package io.replagent.replicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RsyncProgressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        first update            |      32,768   0%    0.00kB/s    0:00:00                     | 32768      | 0  | 0.0        | 0     | 0    | -1 | 0    | true
        a file done             |   3,000,000   3%   26.95MB/s    0:00:00 (xfr#1, to-chk=29/31) | 3000000    | 3  | 28259123.2 | 0     | 1    | 29 | 31   | false
        still listing           | 123,456,789  45%  113.40MB/s    0:08:12 (xfr#1200, ir-chk=1000/4135) | 123456789 | 45 | 118908518.4 | 492 | 1200 | 1000 | 4135 | true
        plain bytes per second  |         512 100%  512.00B/s    1:02:03 (xfr#1, to-chk=0/1)   | 512        | 100 | 512.0     | 3723  | 1    | 0  | 1    | false
        gigabytes               | 10,737,418,240  99%    1.00GB/s    0:00:01 (xfr#9, to-chk=1/10) | 10737418240 | 99 | 1073741824.0 | 1 | 9 | 1 | 10 | false
        """)
    void progressLinesAreRead(String what, String line, long bytes, int percent, double rate, long etaSeconds, long files,
                              long toCheck, long total, boolean listing) {
        assertEquals(Optional.of(new RsyncProgress(bytes, percent, rate, Duration.ofSeconds(etaSeconds), files, toCheck,
                total, listing)), RsyncProgress.parse(line));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        stats                   | Number of files: 31 (reg: 30, dir: 1)
        total line              | Total bytes sent: 90,011,234
        a message               | rsync: [sender] link_stat "/x" failed: No such file or directory (2)
        a name that looks close | 12% done.txt
        empty                   |
        """)
    void otherLinesAreNotProgress(String what, String line) {
        assertEquals(Optional.empty(), RsyncProgress.parse(line == null ? "" : line));
    }
}
