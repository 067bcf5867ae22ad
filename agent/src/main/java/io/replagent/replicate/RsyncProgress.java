package io.replagent.replicate;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * rsync's {@code --info=progress2} figures, read from one of its progress lines (written with '\r' between
 * updates): {@code "  1,234,567  12%   11.78MB/s    0:00:08 (xfr#3, to-chk=120/135)"}. With incremental recursion
 * (rsync's default) the total is still growing ({@code ir-chk}): the percent and ETA are rsync's estimates then.
 *
 * @param bytes          bytes of file data done so far, in this run
 * @param percent        rsync's estimate of how far the run is
 * @param bytesPerSecond current rate
 * @param eta            rsync's estimate of the time left (its time column while a file is in flight)
 * @param files          files transferred so far (xfr#), 0 before the first
 * @param toCheck        files still to check of {@code total}, -1 when rsync did not say yet
 * @param total          files known so far
 * @param listing        true while rsync is still building the file list (ir-chk): the total grows
 */
public record RsyncProgress(long bytes, int percent, double bytesPerSecond, Duration eta, long files, long toCheck,
                            long total, boolean listing) {

    private static final Pattern LINE = Pattern.compile(
            "\\s*([\\d,.]+)\\s+(\\d{1,3})%\\s+([\\d.]+)([kMGTP]?)B/s\\s+(\\d+):(\\d{2}):(\\d{2})"
                    + "(?:\\s+\\(xfr#(\\d+), (ir|to)-chk=(\\d+)/(\\d+)\\))?\\s*");

    /** The figures of one line, or empty when it is not a progress line (a message, --stats output). */
    public static Optional<RsyncProgress> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) return Optional.empty();
        long bytes = Long.parseLong(m.group(1).replace(",", "").replace(".", ""));
        double rate = Double.parseDouble(m.group(3)) * scale(m.group(4));
        Duration eta = Duration.ofHours(Long.parseLong(m.group(5))).plusMinutes(Long.parseLong(m.group(6)))
                .plusSeconds(Long.parseLong(m.group(7)));
        if (m.group(8) == null) return Optional.of(new RsyncProgress(bytes, Integer.parseInt(m.group(2)), rate, eta, 0, -1, 0, true));
        return Optional.of(new RsyncProgress(bytes, Integer.parseInt(m.group(2)), rate, eta, Long.parseLong(m.group(8)),
                Long.parseLong(m.group(10)), Long.parseLong(m.group(11)), m.group(9).equals("ir")));
    }

    /** rsync's rate units are powers of 1024 (kB/s = 1024 bytes per second) unless -h is given twice. */
    private static double scale(String unit) {
        return switch (unit) {
            case "k" -> 1024.0;
            case "M" -> 1024.0 * 1024;
            case "G" -> 1024.0 * 1024 * 1024;
            case "T" -> 1024.0 * 1024 * 1024 * 1024;
            case "P" -> 1024.0 * 1024 * 1024 * 1024 * 1024;
            default -> 1.0;
        };
    }
}
