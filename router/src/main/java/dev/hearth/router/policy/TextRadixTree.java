package dev.hearth.router.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * SGLang router's approximate radix tree (sgl-router/src/policies/tree.rs): a compressed radix
 * tree over request text, in Unicode code points, shared by all replicas ("tenants"); each node
 * records which tenants passed through it and when, and each tenant's total characters are kept
 * so it can be held to a budget by evicting its least recently used leaves. Where upstream picks
 * arbitrarily (the tenant of a match, ties), this picks the lowest slot, so replays repeat.
 */
final class TextRadixTree {
    private static final class Node {
        int[] text;
        Node parent;
        final Map<Integer, Node> children = new HashMap<>();
        final TreeMap<Integer, Long> tenants = new TreeMap<>(); // slot -> last access, ms

        Node(int[] text, Node parent) {
            this.text = text;
            this.parent = parent;
        }
    }

    /** What matched: the code points matched and the tenant they belong to (-1 when the tree is empty). */
    record Match(int matched, int tenant) {}

    private final Node root = new Node(new int[0], null);
    private final Map<Integer, Long> chars = new HashMap<>();

    /** Registers a tenant with nothing cached, as SGLang does with insert("", url). */
    void addTenant(int tenant, long now) {
        root.tenants.put(tenant, now);
        chars.putIfAbsent(tenant, 0L);
    }

    long chars(int tenant) {
        return chars.getOrDefault(tenant, 0L);
    }

    void insert(int[] text, int tenant, long now) {
        addTenant(tenant, now);
        Node node = root;
        int i = 0;
        while (i < text.length) {
            Node child = node.children.get(text[i]);
            if (child == null) {
                Node leaf = new Node(java.util.Arrays.copyOfRange(text, i, text.length), node);
                leaf.tenants.put(tenant, now);
                node.children.put(text[i], leaf);
                chars.merge(tenant, (long) leaf.text.length, Long::sum);
                return;
            }
            int common = common(child.text, text, i);
            if (common < child.text.length) {
                child = split(node, child, common);
            }
            if (child.tenants.put(tenant, now) == null) {
                chars.merge(tenant, (long) child.text.length, Long::sum);
            }
            node = child;
            i += common;
        }
    }

    /** The longest match of {@code text}; refreshes that tenant's timestamps up to the root. */
    Match prefixMatch(int[] text, long now) {
        Node node = root;
        Node last = root;
        int i = 0;
        while (i < text.length) {
            Node child = node.children.get(text[i]);
            if (child == null) {
                break;
            }
            int common = common(child.text, text, i);
            i += common;
            last = child;
            if (common < child.text.length) {
                break;
            }
            node = child;
        }
        if (last.tenants.isEmpty()) {
            return new Match(0, root.tenants.isEmpty() ? -1 : root.tenants.firstKey());
        }
        int tenant = last.tenants.firstKey();
        for (Node n = last; n != null; n = n.parent) {
            if (n.tenants.containsKey(tenant)) {
                n.tenants.put(tenant, now);
            }
        }
        return new Match(i, tenant);
    }

    /** The tenant with the fewest characters cached (SGLang's get_smallest_tenant), -1 when none. */
    int smallestTenant() {
        int best = -1;
        long bestChars = Long.MAX_VALUE;
        for (var e : new TreeMap<>(chars).entrySet()) {
            if (e.getValue() < bestChars) {
                best = e.getKey();
                bestChars = e.getValue();
            }
        }
        return best;
    }

    /** Holds every tenant to {@code maxChars}, evicting its least recently used leaves (evict_tenant_by_size). */
    void evictBySize(long maxChars) {
        PriorityQueue<Object[]> heap = new PriorityQueue<>((a, b) -> Long.compare((Long) a[2], (Long) b[2]));
        for (Node n : nodes()) {
            for (var e : n.tenants.entrySet()) {
                if (n != root && isLeafFor(n, e.getKey())) {
                    heap.add(new Object[] {n, e.getKey(), e.getValue()});
                }
            }
        }
        while (!heap.isEmpty()) {
            Object[] top = heap.poll();
            Node n = (Node) top[0];
            int tenant = (Integer) top[1];
            if (chars(tenant) <= maxChars || !n.tenants.containsKey(tenant)) {
                continue;
            }
            n.tenants.remove(tenant);
            chars.merge(tenant, (long) -n.text.length, Long::sum);
            Node parent = n.parent;
            if (n.tenants.isEmpty()) {
                parent.children.remove(n.text[0]);
            }
            if (parent != root && parent.tenants.containsKey(tenant) && isLeafFor(parent, tenant)) {
                heap.add(new Object[] {parent, tenant, parent.tenants.get(tenant)});
            }
        }
    }

    /** Forgets a tenant everywhere. */
    void removeTenant(int tenant) {
        for (Node n : nodes()) {
            n.tenants.remove(tenant);
            if (n != root && n.tenants.isEmpty()) {
                n.parent.children.remove(n.text[0]);
            }
        }
        chars.remove(tenant);
    }

    private List<Node> nodes() {
        List<Node> out = new ArrayList<>();
        ArrayDeque<Node> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            out.add(n);
            todo.addAll(n.children.values());
        }
        return out;
    }

    private static boolean isLeafFor(Node n, int tenant) {
        for (Node c : n.children.values()) {
            if (c.tenants.containsKey(tenant)) {
                return false;
            }
        }
        return true;
    }

    private static Node split(Node parent, Node child, int at) {
        Node mid = new Node(java.util.Arrays.copyOf(child.text, at), parent);
        mid.tenants.putAll(child.tenants);
        child.text = java.util.Arrays.copyOfRange(child.text, at, child.text.length);
        child.parent = mid;
        mid.children.put(child.text[0], child);
        parent.children.put(mid.text[0], mid);
        return mid;
    }

    private static int common(int[] a, int[] b, int from) {
        int n = Math.min(a.length, b.length - from);
        int i = 0;
        while (i < n && a[i] == b[from + i]) {
            i++;
        }
        return i;
    }
}
