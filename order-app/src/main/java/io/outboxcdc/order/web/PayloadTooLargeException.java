package io.outboxcdc.order.web;

import java.io.IOException;

/** Thrown by the bounded request stream; an IOException so that body readers pass it on as a read failure. */
public class PayloadTooLargeException extends IOException {

    PayloadTooLargeException(long limit) {
        super(BodySizeLimitFilter.tooLargeDetail(limit));
    }
}
