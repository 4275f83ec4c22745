package io.earshot.devices.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.earshot.api.AccessControl;
import io.earshot.api.StatusContributor;
import io.earshot.api.status.HandlerDirectory;
import io.earshot.devices.v1.AudioPacket;
import io.earshot.devices.v1.AudioRequest;
import io.earshot.devices.v1.DeviceMessage;
import io.earshot.devices.v1.DevicesGrpc;
import io.earshot.devices.v1.ServerMessage;
import io.earshot.http.json.Refusal;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * The devices' gRPC server on a port of its own (Netty, embedded in this bundle), the registry of
 * devices, the pacer that sends their clips and the live encoders. Off unless
 * {@code enabled=true} in {@code conf/io.earshot.devices.cfg} or started with {@code --devices}.
 */
@Component(configurationPid = DevicesServer.PID, service = {DevicesServer.class, StatusContributor.class})
@Designate(ocd = DevicesConfig.class)
public final class DevicesServer implements StatusContributor {

    static final String PID = "io.earshot.devices";
    /** gRPC's threads: the calls' work never blocks, so a few serve every device. */
    private static final int GRPC_THREADS = 4;
    /** The largest message a device may send (a Hello with its codecs is a few hundred bytes). */
    private static final int MAX_INBOUND_BYTES = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DevicesServer.class);

    private final boolean enabled;
    private final String host;
    private final int port;
    private final boolean tls;
    private final long stallNanos;
    private final List<StatusContributor> contributors = new CopyOnWriteArrayList<>();
    private volatile String error;
    /** Optional: which dashboard handlers exist, for a device asking for one's audio. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = DYNAMIC)
    private volatile HandlerDirectory handlerDirectory;
    private Server server;
    private ScheduledExecutorService pacer;
    private ExecutorService grpcThreads;
    private DeviceRegistry registry;
    private LiveEncoders live;

    @Activate
    public DevicesServer(BundleContext context, DevicesConfig config, @Reference AccessControl access) {
        this.enabled = config.enabled() || Boolean.parseBoolean(context.getProperty("earshot.devices"));
        String bind = context.getProperty("org.apache.felix.http.host");
        this.host = bind == null || bind.isBlank() ? "127.0.0.1" : bind;
        this.port = config.port();
        this.tls = !config.tlsCertificate().isBlank();
        this.stallNanos = TimeUnit.SECONDS.toNanos(Math.max(1, config.stallSeconds()));
        if (!enabled) return;
        try {
            DeviceKeys keys = DeviceKeys.parse(config.keys(), config.sharedKey());
            pacer = Executors.newSingleThreadScheduledExecutor(named("earshot-devices-pacer"));
            registry = new DeviceRegistry(keys, new Clips(data(context)), Math.max(1, config.maxDevices()),
                    Math.max(1, config.maxQueue()), config.bitrate(), config.complexity(), Leds.mode(config.ledMode()), pacer);
            live = new LiveEncoders(registry, config.bitrate(), config.complexity());
            if (keys.size() == 0 && !keys.hasShared()) {
                LOG.warn("Devices: no keys (keys=ID:KEY or sharedKey= in conf/io.earshot.devices.cfg): every device is refused");
            }
            grpcThreads = Executors.newFixedThreadPool(GRPC_THREADS, named("earshot-devices-grpc"));
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                    .addService(ServerInterceptors.intercept(new Service(), new Gate(access)))
                    .executor(grpcThreads)
                    .maxInboundMessageSize(MAX_INBOUND_BYTES)
                    .maxConcurrentCallsPerConnection(2 + Device.MAX_AUDIO_CALLS)
                    // a dead device (no FIN: power gone, network gone) is noticed by pings
                    .keepAliveTime(Math.max(1, config.keepaliveSeconds()), TimeUnit.SECONDS)
                    .keepAliveTimeout(Math.max(1, config.keepaliveSeconds()), TimeUnit.SECONDS)
                    .permitKeepAliveTime(1, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true);
            if (tls) {
                builder.useTransportSecurity(confFile(context, config.tlsCertificate()).toFile(), confFile(context, config.tlsKey()).toFile());
            }
            server = builder.build().start();
            pacer.scheduleAtFixedRate(() -> safely(() -> registry.tick(System.nanoTime())), 5, 5, TimeUnit.MILLISECONDS);
            pacer.scheduleAtFixedRate(() -> safely(this::housekeeping), 250, 250, TimeUnit.MILLISECONDS);
            LOG.info("Devices: gRPC on {}:{}{}", host, port, tls ? " (TLS)" : " (plain text: a lab network only, see README)");
        } catch (IOException | RuntimeException e) {
            error = "the devices' port " + host + ":" + port + " could not start: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            LOG.error("Devices: {}", error);
            stop();
        }
    }

    /**
     * The access gate's Host and Origin checks, before any call: the {@code :authority} a device
     * asked for must be one this runtime answers to (DNS rebinding), and a call that names a web
     * page ({@code origin}, as a browser would send) must come from one the gate allows. The
     * device's key is checked by the call itself.
     */
    private final class Gate implements ServerInterceptor {
        private static final Metadata.Key<String> ORIGIN = Metadata.Key.of("origin", Metadata.ASCII_STRING_MARSHALLER);
        private final AccessControl access;

        Gate(AccessControl access) {
            this.access = access;
        }

        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
            String authority = call.getAuthority();
            String host = authority == null ? null : authority.startsWith("[")
                    ? authority.substring(0, authority.indexOf(']') + 1)
                    : authority.contains(":") ? authority.substring(0, authority.lastIndexOf(':')) : authority;
            String refusal = host == null ? "the call names no host (:authority)" : access.refusal(host, headers.get(ORIGIN));
            if (refusal != null) {
                registry.counted(refusal);
                call.close(Status.PERMISSION_DENIED.withDescription(refusal), new Metadata());
                return new ServerCall.Listener<>() { };
            }
            return next.startCall(call, headers);
        }
    }

    private static Path data(BundleContext context) {
        String data = context.getProperty("earshot.data");
        return data == null ? Path.of("data") : Path.of(data);
    }

    /** A path from the config: absolute, or in the configuration folder (the first of FileInstall's folders). */
    private static Path confFile(BundleContext context, String name) {
        Path path = Path.of(name.trim());
        if (path.isAbsolute()) return path;
        String dirs = context.getProperty("felix.fileinstall.dir");
        return Path.of(dirs == null || dirs.isBlank() ? "conf" : dirs.split(",")[0].trim()).resolve(path);
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void safely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // a failed turn must not end the schedule: the next one comes
            LOG.warn("Devices: {}", e.toString(), e);
        }
    }

    private void housekeeping() {
        long now = System.nanoTime();
        registry.housekeeping(now);
        for (Device d : registry.all()) d.audioCalls.removeIf(AudioCall::ended);
        registry.azimuth(doaAzimuth());
    }

    /** The doa plugin's estimate, when it runs. */
    private Double doaAzimuth() {
        for (StatusContributor c : contributors) {
            if (!"doa".equals(c.statusKey())) continue;
            if (c.status() instanceof Map<?, ?> status && status.get("azimuth_deg") instanceof Number n) return n.doubleValue();
        }
        return null;
    }

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, target = "(!(component.name=io.earshot.devices.*))")
    void addContributor(StatusContributor contributor) {
        contributors.add(contributor);
    }

    void removeContributor(StatusContributor contributor) {
        contributors.remove(contributor);
    }

    @Deactivate
    void stop() {
        if (registry != null) registry.endAll("the runtime's devices server is stopping");
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pacer != null) pacer.shutdownNow();
        if (grpcThreads != null) grpcThreads.shutdownNow();
    }

    /** Null when the server is off. */
    DeviceRegistry registry() {
        return registry;
    }

    LiveEncoders live() {
        return live;
    }

    /** Why changes cannot be made now, or null. */
    String unavailable() {
        if (!enabled) return "devices are off: enabled=true in conf/io.earshot.devices.cfg, or start with --devices";
        return registry == null ? error : null;
    }

    private final class Service extends DevicesGrpc.DevicesImplBase {

        @Override
        public StreamObserver<DeviceMessage> status(StreamObserver<ServerMessage> responses) {
            return new StatusSession(registry, (ServerCallStreamObserver<ServerMessage>) responses, stallNanos);
        }

        @Override
        public void audio(AudioRequest request, StreamObserver<AudioPacket> responses) {
            ServerCallStreamObserver<AudioPacket> out = (ServerCallStreamObserver<AudioPacket>) responses;
            try {
                Device device = registry.authenticate(request.getId(), request.getKey());
                if (device.audioCalls.size() >= Device.MAX_AUDIO_CALLS) {
                    throw Status.RESOURCE_EXHAUSTED.withDescription("device '" + device.id + "' has " + Device.MAX_AUDIO_CALLS
                            + " Audio calls open, the most it may").asRuntimeException();
                }
                String handler = request.hasLive() ? request.getLive().getHandler() : "";
                String source = !request.hasLive() ? "queue"
                        : handler.isEmpty() ? "live:" + request.getLive().getChannel() : "handler:" + handler + ":" + request.getLive().getChannel();
                AudioCall call = new AudioCall(out, device.id, source, stallNanos);
                device.audioCalls.add(call);
                out.setOnCancelHandler(() -> {
                    device.audioCalls.remove(call);
                    device.transport.detach(call);
                });
                if (request.hasLive() && !handler.isEmpty()) {
                    live.subscribeHandler(handler, request.getLive().getChannel(), call, handlerDirectory);
                } else if (request.hasLive()) {
                    live.subscribe(request.getLive().getChannel(), call);
                } else {
                    device.transport.attach(call);
                }
            } catch (Refusal r) {
                out.onError(DeviceRegistry.status(r));
            } catch (StatusRuntimeException refused) {
                out.onError(refused);
            }
        }
    }

    @Override
    public String statusKey() {
        return "devices";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("enabled", enabled);
        s.put("host", host);
        s.put("port", server == null ? port : server.getPort());
        s.put("serving", server != null && !server.isShutdown());
        s.put("tls", tls);
        s.put("error", error);
        if (registry != null) {
            List<Device> all = registry.all();
            s.put("online", all.stream().filter(Device::isOnline).count());
            s.put("known", all.size());
            s.put("max_devices", registry.maxDevices());
            s.put("refused", registry.refused());
            s.put("last_refusals", registry.lastRefusals());
            s.put("level_db", Math.round(registry.levelDb() * 10) / 10.0);
            s.put("live", live.describe());
            s.put("devices", all.stream().map(Device::describe).toList());
        }
        return s;
    }
}
