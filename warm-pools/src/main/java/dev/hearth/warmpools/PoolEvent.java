package dev.hearth.warmpools;

/** Something that happened to a pool or one of its nodes (node null for the pool's own). */
public record PoolEvent(long time, String pool, String node, String reason, String message) {}
