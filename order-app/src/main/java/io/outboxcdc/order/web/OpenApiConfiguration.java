package io.outboxcdc.order.web;

import io.outboxcdc.order.sales.Money;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The parts of the OpenAPI document that annotations cannot say: the problem (RFC 9457) schema and the error
 * responses operations refer to by name ({@link ApiProblems}), and the accepted currencies as an enum.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String PROBLEM = "Problem";
    private static final String FIELD_ERROR = "FieldError";

    @Bean
    OpenAPI orderAppApi() {
        Components components = new Components()
                .addSchemas(FIELD_ERROR, fieldErrorSchema())
                .addSchemas(PROBLEM, problemSchema());
        problem(components, ApiProblems.BAD_REQUEST, "A field, parameter or header breaks a rule (type "
                + "validation-failed, `errors` names each), or the body is not a JSON object (type malformed-request)");
        problem(components, ApiProblems.ORDER_NOT_FOUND, "No order has this id (type order-not-found)");
        problem(components, ApiProblems.CONTENT_TOO_LARGE, "The body is larger than orders.http.max-body-size "
                + "(type payload-too-large), or the event it would write is larger than the topic accepts "
                + "(type event-too-large); nothing was written");
        problem(components, ApiProblems.UNSUPPORTED_MEDIA_TYPE, "Content-Type is not application/json "
                + "(type unsupported-media-type)");
        problem(components, ApiProblems.NOT_ACCEPTABLE, "Accept does not allow application/json "
                + "(type not-acceptable)");
        problem(components, ApiProblems.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was used with a different "
                + "request within its retention (type idempotency-key-reused); nothing was written");
        problem(components, ApiProblems.INTERNAL_ERROR, "Unexpected failure, logged server-side; nothing was "
                + "written and the request may be retried (type internal-error)");
        problem(components, ApiProblems.SERVICE_UNAVAILABLE, "The database is restarting or unreachable; retry "
                + "after Retry-After seconds, with the same Idempotency-Key (type service-unavailable)")
                .addHeaderObject("Retry-After", new Header().description("Seconds to wait before retrying")
                        .schema(new IntegerSchema().minimum(java.math.BigDecimal.ZERO)));
        return new OpenAPI().components(components).info(new Info().title("order-app").version("v1")
                .description("Accepts orders; every state change writes its event to the transactional outbox in "
                        + "the same transaction. Errors are RFC 9457 problem details (application/problem+json)."));
    }

    /** The accepted currencies are a closed list; the document names them. */
    @Bean
    OpenApiCustomizer currencyEnum() {
        return api -> {
            Schema<?> request = api.getComponents().getSchemas().get("CreateOrderRequest");
            if (request != null && request.getProperties() != null) {
                @SuppressWarnings("unchecked")
                Schema<String> currency = (Schema<String>) request.getProperties().get("currency");
                currency.setEnum(new ArrayList<>(Money.accepted()));
            }
        };
    }

    private static ApiResponse problem(Components components, String name, String description) {
        ApiResponse response = new ApiResponse().description(description).content(new Content().addMediaType(
                PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
        components.addResponses(name, response);
        return response;
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri")
                        .example("https://outbox-cdc.example/problems/validation-failed")
                        .description("Stable problem type; clients switch on it"))
                .addProperty("title", new StringSchema().example("Validation failed"))
                .addProperty("status", new IntegerSchema().minimum(java.math.BigDecimal.valueOf(400))
                        .maximum(java.math.BigDecimal.valueOf(599)).example(400))
                .addProperty("detail", new StringSchema()
                        .example("items[0].quantity: must be greater than or equal to 1"))
                .addProperty("instance", new StringSchema().example("/orders"))
                .addProperty("errors", new ArraySchema().description("Present on validation-failed: one entry "
                        + "per broken rule").items(new Schema<>().$ref("#/components/schemas/" + FIELD_ERROR)))
                .required(List.of("type", "title", "status"));
    }

    private static Schema<?> fieldErrorSchema() {
        return new ObjectSchema()
                .addProperty("field", new StringSchema().description("Path into the body (items[0].quantity), "
                        + "or a parameter or header name").example("items[0].quantity"))
                .addProperty("message", new StringSchema().example("must be greater than or equal to 1"))
                .required(List.of("field", "message"));
    }
}
