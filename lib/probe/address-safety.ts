import net from "node:net";
import { checkSmartHost } from "@/lib/organisation/connector-fields";
import { SMTP_PORT } from "@/lib/probe/types";

// Pure: where a probe may go. Only the hosts a connector names, on port 25 or the port written in
// the smart host, and never to an address that is not a single reachable host (link-local,
// multicast, unspecified, broadcast): those would reach the probe's own network, not a mail server.

export type SmartHost = Readonly<{ host: string; port: number; literal: boolean }>;

/** A smart host as written (`mail.contoso.com:2525`, `[2001:db8::25]`), split into host and port. */
export function parseSmartHost(written: string): SmartHost {
  const checked = checkSmartHost(written);
  if (!checked.ok) throw new Error(`smart host ${checked.message}`);
  const value = checked.value;
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    return { host: value.slice(1, end), port: portOf(value.slice(end + 2)), literal: true };
  }
  const [host = "", port = ""] = value.split(":");
  return { host, port: portOf(port), literal: net.isIPv4(host) };
}

/** Why the probe must not connect to `address`, or null when it may. */
export function refusalOf(address: string): string | null {
  const v4 = net.isIPv4(address) ? address : mappedIpv4(address);
  if (v4) return refusalOfIpv4(v4);
  if (!net.isIPv6(address)) return `${address} is not an IP address`;
  if (UNSPECIFIED_V6.check(address, "ipv6")) return `${address} is the unspecified address`;
  if (LINK_LOCAL_V6.check(address, "ipv6")) return `${address} is a link-local address (fe80::/10)`;
  if (MULTICAST_V6.check(address, "ipv6")) return `${address} is a multicast address (ff00::/8)`;
  return null;
}

function refusalOfIpv4(address: string): string | null {
  if (address === "0.0.0.0" || UNSPECIFIED_V4.check(address, "ipv4")) return `${address} is an unspecified address (0.0.0.0/8)`;
  if (LINK_LOCAL_V4.check(address, "ipv4")) return `${address} is a link-local address (169.254.0.0/16)`;
  if (MULTICAST_V4.check(address, "ipv4")) return `${address} is a multicast address (224.0.0.0/4)`;
  if (address === "255.255.255.255") return `${address} is the broadcast address`;
  return null;
}

function portOf(text: string): number {
  return text === "" ? SMTP_PORT : Number(text);
}

/** `::ffff:169.254.1.1` is the IPv4 address it carries, and must be refused as that. */
function mappedIpv4(address: string): string | null {
  const match = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match?.[1] && net.isIPv4(match[1]) ? match[1] : null;
}

function subnet(prefix: string, length: number, family: "ipv4" | "ipv6"): net.BlockList {
  const list = new net.BlockList();
  list.addSubnet(prefix, length, family);
  return list;
}

const UNSPECIFIED_V4 = subnet("0.0.0.0", 8, "ipv4");
const LINK_LOCAL_V4 = subnet("169.254.0.0", 16, "ipv4");
const MULTICAST_V4 = subnet("224.0.0.0", 4, "ipv4");
const UNSPECIFIED_V6 = subnet("::", 128, "ipv6");
const LINK_LOCAL_V6 = subnet("fe80::", 10, "ipv6");
const MULTICAST_V6 = subnet("ff00::", 8, "ipv6");
