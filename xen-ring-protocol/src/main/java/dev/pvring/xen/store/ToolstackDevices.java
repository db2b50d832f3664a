/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The keys libxl writes for each kind of device, with libxl's defaults for a PV guest, from user parameters
 * ({@code xl}'s {@code vif = [...]} / {@code disk = [...]} settings as {@code KEY=VALUE}). Read from libxl 4.21
 * {@code libxl__device_nic_setdefault} / {@code libxl__set_xenstore_nic} and {@code libxl__device_disk_setdefault}
 * / {@code device_disk_add}.
 * <ul>
 *   <li><b>vif</b> frontend: {@code handle}, {@code mac}, {@code trusted}; read-only frontend: {@code mtu};
 *       backend: {@code script} ({@code /etc/xen/scripts/vif-bridge}), {@code mac}, {@code bridge}
 *       ({@code xenbr0}), {@code handle}, {@code type} ({@code vif}), {@code hotplug-status} (empty), and
 *       {@code mtu} only when not 1500, {@code ip}, {@code gatewaydev}, {@code rate}, {@code vlan},
 *       {@code vifname} when given. A missing {@code mac} is random in Xen's OUI {@code 00:16:3e}.</li>
 *   <li><b>vbd</b> frontend: {@code virtual-device} (the devid), {@code device-type}, {@code trusted},
 *       {@code protocol} ({@code x86_64-abi}); backend: {@code params}, {@code script} ({@code block} for
 *       {@code type=phy}, {@code block-tap} for {@code tap}), {@code removable}, {@code bootable}, {@code dev}
 *       (the vdev name of the devid, e.g. {@code xvda} for 51712), {@code type} ({@code phy}), {@code mode}
 *       ({@code w}), {@code device-type} ({@code disk}), {@code discard-enable} (1 if writable),
 *       {@code specification} ({@code xen}), {@code direct-io-safe} when 1. {@code type=qdisk} puts the backend
 *       under {@code backend/qdisk}, {@code tap} under {@code backend/vbd3}; for those {@code params} is
 *       {@code <format>:<path>} ({@code format} default {@code raw}).</li>
 *   <li>Other types, and parameters libxl does not know: the backend directory, as given.</li>
 * </ul>
 */
public final class ToolstackDevices
{
    /** The backend key a hotplug script answers ({@code connected}); libxl writes it empty for a vif. */
    public static final String HOTPLUG_STATUS = "hotplug-status";
    /** libxl {@code XEN_SCRIPT_DIR}: relative script names are resolved here. */
    public static final String SCRIPT_DIR = "/etc/xen/scripts";
    /** libxl {@code LIBXL_DEVICE_NIC_MTU_DEFAULT}. */
    public static final int DEFAULT_MTU = 1500;
    /** libxl's default bridge. */
    public static final String DEFAULT_BRIDGE = "xenbr0";
    /** {@code XEN_IO_PROTO_ABI_X86_64}: the protocol libxl writes for a PV disk frontend on x86_64. */
    public static final String PROTOCOL_X86_64 = "x86_64-abi";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ToolstackDevices()
    {
    }

    /**
     * A device with libxl's keys for its type.
     *
     * @param type           device type ({@code vif}, {@code vbd}, or any other: generic).
     * @param frontendDomid  frontend domain.
     * @param backendDomid   backend domain.
     * @param devid          device id.
     * @param params         parameters, placed as libxl places them (unknown ones in the backend directory).
     * @param frontendParams extra keys for the frontend directory, owned by the frontend, as given.
     * @return the device.
     * @throws IllegalArgumentException if a parameter value is invalid.
     */
    public static XenbusDevice device(final String type, final int frontendDomid, final int backendDomid,
        final int devid, final Map<String, String> params, final Map<String, String> frontendParams)
    {
        final XenbusDevice base = switch (type)
        {
            case "vif" -> vif(frontendDomid, backendDomid, devid, params);
            case "vbd" -> vbd(frontendDomid, backendDomid, devid, params);
            default -> new XenbusDevice(type, devid, frontendDomid, backendDomid, Map.of(), params);
        };
        if (frontendParams.isEmpty())
        {
            return base;
        }
        final Map<String, String> front = new HashMap<>(base.frontendKeys());
        front.putAll(frontendParams);
        return new XenbusDevice(base.type(), devid, frontendDomid, backendDomid, front, base.backendKeys(),
            base.readOnlyFrontendKeys(), base.backendType());
    }

    /**
     * A network interface as {@code xl network-attach} creates it.
     *
     * @param frontendDomid frontend domain.
     * @param backendDomid  backend domain.
     * @param devid         device id (the {@code handle}).
     * @param params        {@code mac}, {@code mtu}, {@code bridge}, {@code script}, {@code trusted}, ...
     * @return the device.
     */
    public static XenbusDevice vif(final int frontendDomid, final int backendDomid, final int devid,
        final Map<String, String> params)
    {
        final Map<String, String> rest = new LinkedHashMap<>(params);
        final String mac = rest.containsKey("mac") ? checkMac(rest.remove("mac")) : randomMac();
        final int mtu = rest.containsKey("mtu") ? parseInt("mtu", rest.remove("mtu"), 68, 65535) : DEFAULT_MTU;
        final String handle = rest.containsKey("handle") ?
            Integer.toString(parseInt("handle", rest.remove("handle"), 0, Integer.MAX_VALUE)) :
            Integer.toString(devid);
        final String trusted = rest.containsKey("trusted") ? checkFlag("trusted", rest.remove("trusted")) : "1";
        final String script = scriptPath(rest.containsKey("script") ? rest.remove("script") : "vif-bridge");
        final String nictype = rest.getOrDefault("type", "vif");
        if (!"vif".equals(nictype))
        {
            throw new IllegalArgumentException("a PV guest's vif type must be vif: type=" + nictype);
        }
        final Map<String, String> back = new HashMap<>();
        back.put("script", script);
        back.put("mac", mac);
        if (mtu != DEFAULT_MTU)
        {
            back.put("mtu", Integer.toString(mtu));
        }
        back.put("bridge", DEFAULT_BRIDGE);
        back.put("handle", handle);
        back.put("type", nictype);
        back.put(HOTPLUG_STATUS, "");
        for (final Map.Entry<String, String> e : rest.entrySet())
        {
            back.put(e.getKey(), e.getValue());
        }
        final Map<String, String> front = Map.of("handle", handle, "mac", mac, "trusted", trusted);
        return new XenbusDevice("vif", devid, frontendDomid, backendDomid, front, back,
            Map.of("mtu", Integer.toString(mtu)), "vif");
    }

    /**
     * A disk as {@code xl block-attach} creates it for a PV guest.
     *
     * @param frontendDomid frontend domain.
     * @param backendDomid  backend domain.
     * @param devid         device id ({@code virtual-device}, e.g. 51712 for xvda).
     * @param params        {@code params} (the image), {@code mode}, {@code type}, {@code device-type}, ...
     * @return the device.
     */
    public static XenbusDevice vbd(final int frontendDomid, final int backendDomid, final int devid,
        final Map<String, String> params)
    {
        final Map<String, String> rest = new LinkedHashMap<>(params);
        final String diskType = rest.containsKey("type") ? rest.remove("type") : "phy";
        final String backendType = switch (diskType)
        {
            case "phy" -> "vbd";
            case "tap" -> "vbd3";
            case "qdisk" -> "qdisk";
            default -> throw new IllegalArgumentException("disk type must be phy, tap or qdisk: type=" + diskType);
        };
        final String mode = rest.containsKey("mode") ? rest.remove("mode") : "w";
        if (!"w".equals(mode) && !"r".equals(mode))
        {
            throw new IllegalArgumentException("mode must be r or w: mode=" + mode);
        }
        final String deviceType = rest.containsKey("device-type") ? rest.remove("device-type") : "disk";
        if (!"disk".equals(deviceType) && !"cdrom".equals(deviceType))
        {
            throw new IllegalArgumentException("device-type must be disk or cdrom: device-type=" + deviceType);
        }
        final String target = rest.containsKey("params") ? rest.remove("params") : "";
        final String format = rest.containsKey("format") ? rest.remove("format") : "raw";
        final Map<String, String> back = new HashMap<>();
        back.put("params", "phy".equals(diskType) ? target : format + ":" + target);
        if (!"qdisk".equals(diskType))
        {
            back.put("script", scriptPath(rest.containsKey("script") ? rest.remove("script") :
                "phy".equals(diskType) ? "block" : "block-tap"));
        }
        back.put("removable", rest.containsKey("removable") ? checkFlag("removable", rest.remove("removable")) : "0");
        back.put("bootable", rest.containsKey("bootable") ? checkFlag("bootable", rest.remove("bootable")) : "1");
        back.put("dev", rest.containsKey("dev") ? rest.remove("dev") : vdevName(devid));
        back.put("type", diskType);
        back.put("mode", mode);
        back.put("device-type", deviceType);
        final String directIo = rest.containsKey("direct-io-safe") ?
            checkFlag("direct-io-safe", rest.remove("direct-io-safe")) : "0";
        if ("1".equals(directIo))
        {
            back.put("direct-io-safe", "1");
        }
        back.put("discard-enable", rest.containsKey("discard-enable") ?
            checkFlag("discard-enable", rest.remove("discard-enable")) : "w".equals(mode) ? "1" : "0");
        back.put("specification", "xen");
        final String trusted = rest.containsKey("trusted") ? checkFlag("trusted", rest.remove("trusted")) : "1";
        final String protocol = rest.containsKey("protocol") ? rest.remove("protocol") : PROTOCOL_X86_64;
        for (final Map.Entry<String, String> e : rest.entrySet())
        {
            back.put(e.getKey(), e.getValue());
        }
        final Map<String, String> front = Map.of("virtual-device", Integer.toString(devid), "device-type", deviceType,
            "trusted", trusted, "protocol", protocol);
        return new XenbusDevice("vbd", devid, frontendDomid, backendDomid, front, back, Map.of(), backendType);
    }

    /**
     * The vdev name libxl would have parsed into {@code devid} ({@code xvd}, {@code hd}, {@code sd} and the
     * extended {@code xvd} encoding), or the decimal devid (libxl accepts numeric vdevs).
     *
     * @param devid device number.
     * @return e.g. {@code xvda} for 51712, {@code xvdb1} for 51729, {@code xvdq} for 268439552.
     */
    public static String vdevName(final int devid)
    {
        final int major = devid >>> 8;
        if ((devid & (1 << 28)) != 0 && devid >>> 29 == 0)
        {
            return "xvd" + diskLetters((devid >>> 8) & 0xFFFFF) + partition(devid & 0xFF);
        }
        if (devid >>> 16 != 0)
        {
            return Integer.toString(devid);
        }
        return switch (major)
        {
            case 202 -> "xvd" + diskLetters((devid >>> 4) & 0xF) + partition(devid & 0xF);
            case 8 -> "sd" + diskLetters((devid >>> 4) & 0xF) + partition(devid & 0xF);
            case 3, 22 -> "hd" + diskLetters((major == 3 ? 0 : 2) + ((devid >>> 6) & 1)) + partition(devid & 0x3F);
            default -> Integer.toString(devid);
        };
    }

    /**
     * A random MAC address in Xen's OUI, as libxl makes one: {@code 00:16:3e:xx:xx:xx} with the top bit of the
     * fourth byte clear.
     *
     * @return the address.
     */
    public static String randomMac()
    {
        final byte[] r = new byte[3];
        RANDOM.nextBytes(r);
        return String.format("00:16:3e:%02x:%02x:%02x", r[0] & 0x7F, r[1] & 0xFF, r[2] & 0xFF);
    }

    /** libxl {@code encode_disk_name}: 0 = a, 25 = z, 26 = aa (bijective base 26). */
    private static String diskLetters(final int disk)
    {
        final StringBuilder sb = new StringBuilder();
        int n = disk + 1;
        while (n > 0)
        {
            n--;
            sb.insert(0, (char)('a' + n % 26));
            n /= 26;
        }
        return sb.toString();
    }

    private static String partition(final int part)
    {
        return part == 0 ? "" : Integer.toString(part);
    }

    private static String scriptPath(final String script)
    {
        if (script.isEmpty())
        {
            throw new IllegalArgumentException("script must not be empty: script=");
        }
        return script.startsWith("/") ? script : SCRIPT_DIR + "/" + script;
    }

    private static String checkMac(final String mac)
    {
        if (!mac.matches("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}"))
        {
            throw new IllegalArgumentException("mac must be six hex bytes like 00:16:3e:01:02:03: mac=" + mac);
        }
        return mac.toLowerCase(Locale.ROOT);
    }

    private static String checkFlag(final String name, final String value)
    {
        if (!"0".equals(value) && !"1".equals(value))
        {
            throw new IllegalArgumentException(name + " must be 0 or 1: " + name + "=" + value);
        }
        return value;
    }

    private static int parseInt(final String name, final String value, final int min, final int max)
    {
        try
        {
            final int v = Integer.parseInt(value);
            if (v >= min && v <= max)
            {
                return v;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be an integer " + min + ".." + max + ": " + name + "=" +
            value);
    }
}
