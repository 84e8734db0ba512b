package io.outboxcdc.order.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's fallback error page/JSON: whatever reaches the servlet error dispatch (an error raised
 * outside Spring MVC, a container {@code sendError}) still leaves as problem+json, without internals.
 */
@Hidden // the error dispatch is no operation of the API
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus resolved = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        // No error attributes: someone requested the error path itself, which is no resource.
        HttpStatus status = resolved == null ? HttpStatus.NOT_FOUND : resolved;
        ProblemDetail problem = ProblemDetail.forStatus(status);
        URI type = ProblemTypes.forStatus(status.value());
        if (type != null) {
            problem.setType(type);
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        problem.setInstance(URI.create(uri instanceof String path ? path : request.getRequestURI()));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
