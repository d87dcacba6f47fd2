package com.orderintel.registryserver.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Formatting the console's templates call as {@code fmt.num(x)}: numbers to 4 significant places, times in UTC. */
public final class Format {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    public String num(Object v) {
        if (v instanceof Number n) {
            return Charts.num(n.doubleValue());
        }
        return v == null ? "" : v.toString();
    }

    public String pct(Double v) {
        return v == null || !Double.isFinite(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f %%", v * 100);
    }

    public String when(Instant t) {
        return t == null ? "" : WHEN.format(t);
    }

    /** A version or checksum cut for a table cell; the full text goes in the title. */
    public String cut(String s, int chars) {
        return Charts.shortVersion(s, chars);
    }

    /** How far two numbers differ, signed, for the compare page. */
    public String delta(Double a, Double b) {
        if (a == null || b == null || !Double.isFinite(a) || !Double.isFinite(b)) {
            return "";
        }
        double d = b - a;
        return d == 0 ? "=" : (d > 0 ? "+" : "") + Charts.num(d);
    }
}
