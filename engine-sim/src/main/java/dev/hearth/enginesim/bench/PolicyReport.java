package dev.hearth.enginesim.bench;

/** One contender's figures in a report: its replay at the workload's rate, and its saturation search (null when skipped). */
public record PolicyReport(String name, RunResult run, Saturation saturation, double ofCeiling, double ofUnlimited) {}
