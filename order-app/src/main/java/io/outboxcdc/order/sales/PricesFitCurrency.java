package io.outboxcdc.order.sales;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;

/**
 * Every {@code items[i].unitPrice} needs no more fraction digits than the order's currency has: 24.5 is no
 * price in JPY, 24.505 none in EUR. Reported on each offending {@code items[i].unitPrice}.
 */
@Documented
@Constraint(validatedBy = PricesFitCurrency.Validator.class)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface PricesFitCurrency {

    String message() default "has more fraction digits than the currency allows";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<PricesFitCurrency, CreateOrderRequest> {

        @Override
        public boolean isValid(CreateOrderRequest request, ConstraintValidatorContext context) {
            if (request.currency() == null || Money.refusal(request.currency()) != null || request.items() == null) {
                return true; // the currency's own constraint reports it
            }
            int digits = Money.fractionDigits(request.currency());
            boolean valid = true;
            for (int i = 0; i < request.items().size(); i++) {
                CreateOrderRequest.Item item = request.items().get(i);
                BigDecimal price = item == null ? null : item.unitPrice();
                if (price != null && !Money.fitsMinorUnit(price, request.currency())) {
                    if (valid) {
                        context.disableDefaultConstraintViolation();
                        valid = false;
                    }
                    context.buildConstraintViolationWithTemplate("must have at most " + digits
                                    + " fraction digits in " + request.currency())
                            .addPropertyNode("items").addPropertyNode("unitPrice").inIterable().atIndex(i)
                            .addConstraintViolation();
                }
            }
            return valid;
        }
    }
}
