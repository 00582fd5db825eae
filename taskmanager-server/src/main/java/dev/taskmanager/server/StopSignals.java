package dev.taskmanager.server;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * Turns SIGTERM and SIGINT into a graceful stop that runs before the JVM starts shutting down.
 *
 * <p>Why not a shutdown hook alone: a JVM stopped by a signal exits with 128 + the signal's number
 * (143 for SIGTERM) whatever its hooks do, and its hooks run beside {@code java.util.logging}'s own,
 * which may close the log handlers while ours still reports which tasks ignored the stop (issue 11).
 * Handling the signal instead lets {@code serve} stop while everything is up, return, and exit 0.
 *
 * <p>The handler is {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in every JDK
 * since 9), reached by reflection because javac warns on every direct use. Where it is missing or a
 * signal is reserved (e.g. SIGINT under {@code nohup} or {@code -Xrs}), that signal keeps the JVM's
 * default behaviour and the shutdown hook stops the server. The first signal reinstalls the previous
 * handler, so a second one ends the process at once.
 */
final class StopSignals {
    private static final System.Logger LOG = System.getLogger(StopSignals.class.getName());

    private StopSignals() {
    }

    /**
     * Runs {@code onStop} on the first SIGTERM or SIGINT.
     *
     * @return how many of the two signals are now handled
     */
    static int install(Runnable onStop) {
        Class<?> signalClass;
        Class<?> handlerClass;
        Constructor<?> newSignal;
        Method handle;
        try {
            signalClass = Class.forName("sun.misc.Signal");
            handlerClass = Class.forName("sun.misc.SignalHandler");
            newSignal = signalClass.getConstructor(String.class);
            handle = signalClass.getMethod("handle", signalClass, handlerClass);
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "No signal handling here; the shutdown hook will stop the server", e);
            return 0;
        }
        int installed = 0;
        for (String name : List.of("TERM", "INT")) {
            try {
                Object signal = newSignal.newInstance(name);
                Object[] previous = new Object[1];
                Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                        (proxy, method, args) -> {
                            switch (method.getName()) {
                                case "handle":
                                    handle.invoke(null, signal, previous[0]); // a second signal: the default
                                    onStop.run();
                                    return null;
                                case "hashCode":
                                    return System.identityHashCode(proxy);
                                case "equals":
                                    return proxy == args[0];
                                default:
                                    return "taskmanager graceful stop on SIG" + name;
                            }
                        });
                previous[0] = handle.invoke(null, signal, handler);
                installed++;
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "SIG" + name + " keeps the JVM's default handling", e);
            }
        }
        return installed;
    }
}
