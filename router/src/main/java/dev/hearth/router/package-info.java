/**
 * Routing: tokenization, prefix block hashing, and (to come) the prefix index and routing policies.
 * A plain library: no HTTP and nothing else of Hearth's.
 */
package dev.hearth.router;
