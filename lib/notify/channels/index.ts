import type { ChannelKind, ChannelSender } from "@/lib/notify/types";
import { sendAlertmanager } from "./alertmanager";
import { sendEmail } from "./email";
import { sendSlack } from "./slack";
import { sendTeams } from "./teams";
import { sendWebhook } from "./webhook";

// The channels the worker calls: one sender per kind, each bounded by its own time limit and the
// signal it is given, each answering with a DeliveryOutcome (docs/notifications-channels.md).

export const senders: Readonly<Record<ChannelKind, ChannelSender>> = {
  email: (channel, message, signal) => sendEmail(channel, message, signal),
  webhook: (channel, message, signal) => sendWebhook(channel, message, signal),
  teams: (channel, message, signal) => sendTeams(channel, message, signal),
  slack: (channel, message, signal) => sendSlack(channel, message, signal),
  alertmanager: (channel, message, signal) => sendAlertmanager(channel, message, signal),
};

export { channelTarget, validateChannel } from "./validate";
