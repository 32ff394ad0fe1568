/**
 * The engine simulator: a stand-in for vLLM and SGLang that speaks their HTTP APIs, metrics and KV
 * events, over a paged prefix cache and a continuous-batching scheduler with H100 cost profiles.
 */
package dev.hearth.enginesim;
