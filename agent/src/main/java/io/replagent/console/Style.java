package io.replagent.console;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/** Colours for the console, or none: off for dumb terminals, terminals without colours, and NO_COLOR. */
final class Style {

    static final Style PLAIN = new Style(false);

    private final boolean colour;

    Style(boolean colour) {
        this.colour = colour;
    }

    String good(String s) { return paint(s, AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN)); }
    String warn(String s) { return paint(s, AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)); }
    String bad(String s) { return paint(s, AttributedStyle.BOLD.foreground(AttributedStyle.RED)); }
    String dim(String s) { return paint(s, AttributedStyle.DEFAULT.faint()); }
    String bold(String s) { return paint(s, AttributedStyle.BOLD); }

    /** A target state, coloured by how worried the operator should be; {@code text} is what is printed. */
    String state(String state, String text) {
        return switch (state) {
            case "idle" -> good(text);
            case "pending", "syncing" -> text;
            case "retrying" -> warn(text);
            default -> bad(text);
        };
    }

    private String paint(String s, AttributedStyle style) {
        return colour ? new AttributedString(s, style).toAnsi() : s;
    }
}
