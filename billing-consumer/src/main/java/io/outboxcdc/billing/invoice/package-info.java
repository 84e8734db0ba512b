/** The invoices billing keeps: issued for a created order, voided when the order is cancelled. */
package io.outboxcdc.billing.invoice;
