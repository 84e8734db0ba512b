/**
 * The operator's handles on what billing cannot resolve by itself: events parked for a predecessor that never
 * came, listed and then released or dead-lettered one by one (actuator endpoint {@code parked}).
 */
package io.outboxcdc.billing.operator;
