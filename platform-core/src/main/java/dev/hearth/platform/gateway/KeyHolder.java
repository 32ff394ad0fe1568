package dev.hearth.platform.gateway;

import java.util.regex.Pattern;

/**
 * Who an API key belongs to: its tenant, whether it may use the control API ({@code admin}), and
 * the group whose prefix-cache namespace it shares, when its operator opted it into one. A keys
 * file (and the key directory gateways share) writes it as the words after the key:
 * {@code tenant [admin] [share=GROUP]}. Names are letters, digits, {@code . _ @ -}: never a colon,
 * so a tenant's salt cannot be spelled by another tenant's client salt.
 */
public record KeyHolder(String tenant, boolean admin, String shareGroup) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    public KeyHolder {
        if (tenant == null || !NAME.matcher(tenant).matches()) {
            throw new IllegalArgumentException("a tenant is 1 to 64 letters, digits, '.', '_', '@' or '-', "
                    + "starting with a letter or digit");
        }
        if (shareGroup != null && !NAME.matcher(shareGroup).matches()) {
            throw new IllegalArgumentException("a share group is 1 to 64 letters, digits, '.', '_', '@' or '-', "
                    + "starting with a letter or digit");
        }
    }

    /**
     * The prefix-cache namespace this key's prompts are salted with ({@code cache_salt} upstream):
     * its tenant's own, or its share group's, whose members then reuse (and can time) each other's prefixes.
     */
    public String cacheNamespace() {
        return shareGroup == null ? "tenant:" + tenant : "group:" + shareGroup;
    }

    /** {@code tenant [admin] [share=GROUP]}, as {@link #parse} reads it. */
    public String spec() {
        return tenant + (admin ? " admin" : "") + (shareGroup != null ? " share=" + shareGroup : "");
    }

    /** The words after a key; a one-line error naming what is wrong (never the key, which is not given). */
    public static KeyHolder parse(String spec) {
        String[] words = spec.strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            throw new IllegalArgumentException("expected 'KEY TENANT [admin] [share=GROUP]'");
        }
        boolean admin = false;
        String group = null;
        for (int i = 1; i < words.length; i++) {
            if (words[i].equals("admin") && !admin) {
                admin = true;
            } else if (words[i].startsWith("share=") && group == null) {
                group = words[i].substring("share=".length());
            } else { // not echoed: a misplaced word may be a key
                throw new IllegalArgumentException("word " + (i + 2) + " is neither 'admin' nor 'share=GROUP' "
                        + "(or is given twice); expected 'KEY TENANT [admin] [share=GROUP]'");
            }
        }
        return new KeyHolder(words[0], admin, group);
    }
}
