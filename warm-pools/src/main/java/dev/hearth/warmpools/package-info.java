/**
 * Nodepools, node lifecycle, placeholder workloads, spill-over pre-warming, failover and the
 * autoscaler: a plain library with no HTTP and no platform imports (see ARCHITECTURE.md).
 */
package dev.hearth.warmpools;
