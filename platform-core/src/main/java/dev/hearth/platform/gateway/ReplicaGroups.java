package dev.hearth.platform.gateway;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deployments the gateway routes to, by name. A request's {@code model} picks one: a
 * deployment's own name first, else the model id it serves; an empty model means the only one.
 */
public final class ReplicaGroups {
    private final Map<String, ReplicaGroup> byName = new ConcurrentHashMap<>();

    public void add(ReplicaGroup group) {
        if (byName.putIfAbsent(group.name(), group) != null) {
            throw new IllegalArgumentException("deployment " + group.name() + " is already served");
        }
    }

    /**
     * Serves {@code group} in place of the one of the same name, if any, in one step, so no request
     * finds neither: a gateway taking the control plane over replaces the groups it followed.
     */
    public void replace(ReplicaGroup group) {
        ReplicaGroup old = byName.put(group.name(), group);
        if (old != null) {
            old.close();
        }
    }

    public ReplicaGroup remove(String name) {
        ReplicaGroup g = byName.remove(name);
        if (g != null) {
            g.close();
        }
        return g;
    }

    public ReplicaGroup get(String name) {
        return byName.get(name);
    }

    public List<ReplicaGroup> all() {
        return byName.values().stream().sorted(java.util.Comparator.comparing(ReplicaGroup::name)).toList();
    }

    /** The group a request's {@code model} names; an OpenAI 404 when none does. */
    ReplicaGroup resolve(String model) {
        if (model == null || model.isEmpty()) {
            List<ReplicaGroup> all = all();
            if (all.size() == 1) {
                return all.get(0);
            }
            throw OpenAiError.invalid(all.isEmpty() ? "no deployment is being served yet"
                    : "'model' is required: name one of " + all.stream().map(g -> g.served().model()).distinct().toList(),
                    "model");
        }
        ReplicaGroup named = byName.get(model);
        if (named != null) {
            return named;
        }
        List<ReplicaGroup> serving = all().stream().filter(g -> g.served().model().equals(model)).toList();
        if (serving.isEmpty()) {
            throw OpenAiError.unknownModel(model);
        }
        // Several deployments of one model: the first by name; name the deployment to choose.
        return serving.get(0);
    }
}
