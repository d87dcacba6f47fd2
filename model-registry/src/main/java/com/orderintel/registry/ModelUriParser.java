package com.orderintel.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/** Strict parser for {@link ModelUri}; every error names the URI and the part that is wrong. */
final class ModelUriParser {

    /** Names, versions and aliases: letters, digits, dot, dash, underscore; no path tricks. */
    static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private ModelUriParser() {
    }

    static ModelUri parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid(raw, "MODEL_URI is empty");
        }
        String text = raw.strip();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(text, "not a URI: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("file") || scheme.equals("s3"))) {
            throw invalid(text, "unsupported scheme '" + scheme + "' (use file:// or s3://)");
        }
        if (scheme.equals("s3") && (uri.getAuthority() == null || uri.getAuthority().isBlank())) {
            throw invalid(text, "s3 URI has no bucket (expected s3://bucket/prefix/<version>/<name>)");
        }
        if (scheme.equals("file") && uri.getAuthority() != null && !uri.getAuthority().isBlank()) {
            throw invalid(text, "file URI must be absolute with an empty host (file:///path/...)");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        int lastSlash = path.lastIndexOf('/');
        if (lastSlash < 0 || lastSlash == path.length() - 1) {
            throw invalid(text, "no model name at the end of the path");
        }
        String last = path.substring(lastSlash + 1);
        String base = scheme + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority());
        int at = last.indexOf('@');
        if (at >= 0) {
            String name = last.substring(0, at);
            String alias = last.substring(at + 1);
            checkSegment(text, "model name", name);
            checkSegment(text, "alias", alias);
            return new ModelUri(base + path.substring(0, lastSlash), name, null, alias);
        }
        String rest = path.substring(0, lastSlash);
        int versionSlash = rest.lastIndexOf('/');
        if (versionSlash < 0 || versionSlash == rest.length() - 1) {
            throw invalid(text, "expected .../<version>/<model-name> or .../<model-name>@<alias>");
        }
        String version = rest.substring(versionSlash + 1);
        checkSegment(text, "model name", last);
        checkSegment(text, "version", version);
        String location = base + rest.substring(0, versionSlash);
        if (scheme.equals("file") && rest.substring(0, versionSlash).isEmpty()) {
            throw invalid(text, "file registry root is missing (expected file:///root/<version>/<name>)");
        }
        return new ModelUri(location, last, version, null);
    }

    static void checkSegment(String uri, String what, String value) {
        if (!SEGMENT.matcher(value).matches()) {
            throw invalid(uri, what + " '" + value + "' must match " + SEGMENT.pattern());
        }
    }

    private static RegistryException invalid(String uri, String why) {
        return new RegistryException(RegistryException.Reason.INVALID_URI, "invalid MODEL_URI '" + uri + "': " + why);
    }
}
