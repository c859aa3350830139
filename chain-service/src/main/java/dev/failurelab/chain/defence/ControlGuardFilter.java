package dev.failurelab.chain.defence;

import dev.failurelab.contract.ControlRequestGuard;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /admin/*} request passes {@link ControlRequestGuard} first: a web page (cross-site,
 * DNS rebinding, a browser changing state) gets a 403 naming the reason. Names other than loopback
 * that may reach the admin API are listed in {@code chain.allowed-hosts}.
 */
public class ControlGuardFilter {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> controlGuard(@Value("${chain.allowed-hosts:}") List<String> allowed) {
        ControlRequestGuard guard = new ControlRequestGuard(allowed.stream().filter(h -> !h.isBlank()).toList());
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                Optional<String> refusal = guard.refusal(request.getMethod(), request.getHeader("Host"),
                        request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site"),
                        request.getHeader("User-Agent"));
                if (refusal.isPresent()) {
                    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
                    response.setContentType("application/json");
                    response.getOutputStream().write(ControlRequestGuard.forbiddenJson(refusal.get())
                            .getBytes(StandardCharsets.UTF_8));
                    return;
                }
                chain.doFilter(request, response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/admin/*");
        return registration;
    }
}
