package dev.hearth.platform.gateway;

/**
 * Where other gateways bound a conversation, so it stays on one replica whichever gateway its
 * requests reach. The router keeps its own bindings; a directory is consulted before routing and
 * told after a new binding. {@link #NONE} is a single gateway's: nothing is shared.
 */
public interface SessionDirectory {
    /** The replica the session is bound to elsewhere, or null; refreshes the binding's time to live. */
    String replicaOf(String deployment, String session);

    /**
     * The router bound a session to a replica. {@code replacing}: a binding the directory gave was
     * not usable here (its replica left), so this one takes its place; otherwise the first binding wins.
     */
    void bound(String deployment, String session, String replica, boolean replacing);

    SessionDirectory NONE = new SessionDirectory() {
        @Override
        public String replicaOf(String deployment, String session) {
            return null;
        }

        @Override
        public void bound(String deployment, String session, String replica, boolean replacing) {
        }
    };
}
