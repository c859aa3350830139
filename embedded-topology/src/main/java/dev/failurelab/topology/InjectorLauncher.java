package dev.failurelab.topology;

import dev.failurelab.fault.FaultInjectorApplication;
import dev.failurelab.lab.topology.AppSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Kind {@code fault-injector}: the control API on the app's port, and one fault proxy for every
 * app of the topology with a {@code proxy-port}, named after that app and forwarding to its first
 * instance; the allowlist holds exactly those upstreams.
 */
public final class InjectorLauncher implements AppLauncher {

    @Override
    public String kind() {
        return "fault-injector";
    }

    @Override
    public RunningApp start(Instance instance) {
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + instance.port());
        args.add("--server.address=" + instance.bind());
        args.add("--fault-injector.listen-address=" + instance.bind());
        int allowed = 0;
        int proxies = 0;
        for (AppSpec app : instance.endpoints().topology().apps()) {
            if (app.proxyPort() == null) {
                continue;
            }
            int upstream = app.ports().get(0);
            args.add("--fault-injector.allowed-upstreams[" + allowed++ + "]=127.0.0.1:" + upstream);
            args.add("--fault-injector.allowed-upstreams[" + allowed++ + "]=localhost:" + upstream);
            args.add("--fault-injector.proxies[" + proxies + "].name=" + app.proxyName());
            args.add("--fault-injector.proxies[" + proxies + "].listen=" + app.proxyPort());
            args.add("--fault-injector.proxies[" + proxies + "].upstream=http://127.0.0.1:" + upstream);
            proxies++;
        }
        return SpringApps.run(FaultInjectorApplication::builder, args, instance.properties());
    }
}
