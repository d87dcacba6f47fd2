package com.orderintel.training.report;

/** HTML text escaping for the few strings the report takes from its input (names, paths, product ids). */
final class Html {

    private Html() {
    }

    /** Hand-written: five replacements do not justify a templating library in the runner's jar. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
