package io.earshot.access.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.earshot.api.AccessControl;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The same gate for servers outside the HTTP whiteboard (easy-dsp's classic ports): the Host and
 * Origin checks of {@link AccessGate} and its token verdict. What each classic port then allows
 * without the token is that port's own rule (the easy-dsp clients it exists for send none).
 */
@Component(service = Filter.class, property = ClassicGate.GATE_PROPERTY + "=classic")
public final class ClassicGate implements Filter {

    /** Service property naming which server a gate filter is for. */
    public static final String GATE_PROPERTY = "earshot.access.gate";

    private final AccessControl access;
    private final Refusals refusals;

    @Activate
    public ClassicGate(@Reference AccessControl access, @Reference Refusals refusals) {
        this.access = access;
        this.refusals = refusals;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String refusal = access.refusal(request.getHeader("Host"), request.getHeader("Origin"));
        if (refusal != null) {
            refusals.refuse(request, (HttpServletResponse) res, 403, refusal);
            return;
        }
        request.setAttribute(AccessControl.TOKEN_ATTRIBUTE,
                access.permits(Credentials.presented(request.getHeader("Authorization"), request.getQueryString())));
        chain.doFilter(request, res);
    }
}
