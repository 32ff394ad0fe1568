package dev.hearth.router.policy;

/**
 * Where a request goes and why. {@code reason} is what the gateway returns in
 * {@code x-hearth-route}, for example {@code prefix-hit blocks=124}, {@code session},
 * {@code least-load} or {@code fallback}.
 */
public record Decision(int slot, String reason) {}
