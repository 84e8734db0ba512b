/**
 * The benchmark suite of issue 8: one command starts the whole system as processes on this machine, drives it,
 * and writes {@code target/bench/report.md}, CSV files and an SVG chart. Ratios are measured side by side in the
 * same run; absolute numbers only mean something with the machine they were taken on.
 */
package io.outboxcdc.bench;
