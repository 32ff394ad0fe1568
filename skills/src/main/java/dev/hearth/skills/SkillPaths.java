package dev.hearth.skills;

import java.util.regex.Pattern;

/**
 * Which names and paths a skill may have: a name of lower-case letters, digits and single hyphens
 * (Agent Skills specification), and file paths that stay inside the skill's folder. Anything that
 * could escape a target folder (absolute paths, {@code ..}, backslashes, empty segments) is refused.
 */
public final class SkillPaths {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

    private SkillPaths() {}

    public static boolean validName(String name) {
        return name != null && name.length() <= 64 && NAME.matcher(name).matches();
    }

    public static boolean safe(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || !SEGMENT.matcher(segment).matches()) {
                return false;
            }
        }
        return true;
    }
}
