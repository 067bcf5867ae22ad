package io.replagent.health;

import java.util.Collection;
import java.util.Locale;

/** How worried an operator should be about a finding; the order is the severity. */
public enum Verdict {
    OK, WARN, FAIL;

    /** As the JSON and the text show it: ok, warn, fail. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A label back; anything unknown counts as a failure, so a newer agent's verdict is never taken for ok. */
    public static Verdict of(String label) {
        for (Verdict v : values()) if (v.label().equals(label)) return v;
        return FAIL;
    }

    /** The worst of {@code verdicts}; OK when there are none. */
    public static Verdict worst(Collection<Verdict> verdicts) {
        Verdict worst = OK;
        for (Verdict v : verdicts) if (v.compareTo(worst) > 0) worst = v;
        return worst;
    }
}
