package com.orderintel.registry;

import java.net.URI;
import java.net.URISyntaxException;

/** Strict parser for {@link ModelUri}; every error names the URI and the part that is wrong. */
final class ModelUriParser {

    /** Longer than any real location plus name; a longer MODEL_URI is refused before it is parsed. */
    static final int MAX_URI_LENGTH = 2048;

    private ModelUriParser() {
    }

    static ModelUri parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid(raw, "MODEL_URI is empty");
        }
        String text = raw.strip();
        if (text.length() > MAX_URI_LENGTH) {
            throw invalid(text, "it is " + text.length() + " characters long (at most " + MAX_URI_LENGTH + ")");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw invalid(text, "it contains a control character");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(text, "not a URI: " + e.getReason());
        }
        if (uri.getRawUserInfo() != null || !ModelUri.redact(text).equals(text)) {
            throw invalid(text, "it carries credentials (user info); " + ModelUri.NO_CREDENTIALS);
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

    private static void checkSegment(String uri, String what, String value) {
        String problem = ModelNames.problem(value);
        if (problem != null) {
            throw invalid(uri, what + " " + ModelNames.quote(value) + " is not allowed: " + problem);
        }
    }

    private static RegistryException invalid(String uri, String why) {
        return new RegistryException(RegistryException.Reason.INVALID_URI, "invalid MODEL_URI " + ModelNames.quote(ModelUri.redact(uri), 300) + ": " + why);
    }
}
