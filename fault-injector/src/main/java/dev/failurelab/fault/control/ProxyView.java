package dev.failurelab.fault.control;

import dev.failurelab.fault.proxy.HttpFaultProxy;
import java.time.Instant;
import java.util.List;

/** A proxy as the control API shows it, with its active faults. */
record ProxyView(String name, String listen, String upstream, List<FaultView> faults) {

    static ProxyView of(HttpFaultProxy proxy, Instant now) {
        return new ProxyView(proxy.name(), proxy.listenAddress() + ":" + proxy.port(), proxy.upstream().toString(),
                proxy.faults().active().stream().map(r -> FaultView.of(r, now)).toList());
    }
}
