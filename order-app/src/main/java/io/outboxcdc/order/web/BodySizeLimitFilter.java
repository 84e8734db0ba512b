package io.outboxcdc.order.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Caps request bodies at {@code orders.http.max-body-size}. A declared Content-Length above it is refused at
 * once; a chunked body is counted while read and fails with {@link PayloadTooLargeException}, which
 * {@link ProblemDetailsAdvice} turns into the same 413.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10) // after the observation filter, so 413s are measured too
@EnableConfigurationProperties(WebProperties.class)
public class BodySizeLimitFilter extends OncePerRequestFilter {

    static final String TITLE = "Payload Too Large";

    private final long limit;
    private final JsonMapper json;

    public BodySizeLimitFilter(WebProperties properties, JsonMapper json) {
        this.limit = properties.maxBodySize().toBytes();
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limit) {
            writeProblem(request, response);
            return;
        }
        chain.doFilter(new BoundedRequest(request, limit), response);
    }

    private void writeProblem(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", ProblemTypes.PAYLOAD_TOO_LARGE.toString());
        problem.put("title", TITLE);
        problem.put("status", HttpStatus.CONTENT_TOO_LARGE.value());
        problem.put("detail", tooLargeDetail(limit));
        problem.put("instance", request.getRequestURI());
        response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
        // JSON is UTF-8 by definition (RFC 8259): no charset parameter, as Spring writes its own problems.
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        // The unread body would otherwise have to be drained before the connection could be reused.
        response.setHeader("Connection", "close");
        json.writeValue(response.getOutputStream(), problem);
    }

    static String tooLargeDetail(long limit) {
        return "The request body is larger than " + limit + " bytes";
    }

    private static final class BoundedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        BoundedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new BoundedInputStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class BoundedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long limit;
        private long count;

        BoundedInputStream(ServletInputStream delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b != -1) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws PayloadTooLargeException {
            count += n;
            if (count > limit) {
                throw new PayloadTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
