/**
 * The social side of the page, wired in one place so main.ts stays small:
 * the account dialog (with the data export and deletion), the friends
 * dialog, the notifications bell (a friend request or acceptance pushed live
 * also refreshes the friends list), a friend's invite link or a mailed account
 * link (sign-up confirmation, password reset) the page was opened with, and the notice left by a sign-up, sign-in or sign-out across its reload.
 */
import type { NotificationMessage } from "../../shared/notifications.ts";
import { t } from "../i18n.ts";
import type { Session } from "../net/session.ts";
import { AccountDialog } from "../ui/account.ts";
import { AccountDataPart } from "../ui/account-data.ts";
import { byId } from "../ui/element.ts";
import { FriendsDialog } from "../ui/friends.ts";
import { NeighboursDialog } from "../ui/neighbours.ts";
import { NotificationsFeed } from "../ui/notifications.ts";
import type { Toast } from "../ui/toast.ts";
import { captureAccountLink } from "../net/account-link.ts";
import { acceptPendingInvite, captureInvite } from "./invite-link.ts";
import { NOTICES, takeNotice } from "./restart.ts";

export interface SocialDeps {
  session(): Session | undefined;
  toast: Toast;
  /** Open a friend's village. */
  visit(villageId: string): void;
}

export interface Social {
  readonly account: AccountDialog;
  readonly friends: FriendsDialog;
  readonly neighbours: NeighboursDialog;
  readonly notifications: NotificationsFeed;
  /** Re-renders in the current language. */
  render(): void;
  /** The session is open: show the buttons, start polling, accept a pending invite. */
  started(session: Session): Promise<void>;
  /** A notification pushed live by the village room (SERVER_MESSAGES.notification). */
  notified(message: NotificationMessage): void;
}

export function installSocial(deps: SocialDeps): Social {
  // First, before anything may reload the page.
  const freshInvite = captureInvite();
  const mailedLink = captureAccountLink();
  const notice = takeNotice();
  const account = new AccountDialog(byId<HTMLDialogElement>("account"), { session: deps.session });
  const friends = new FriendsDialog(byId<HTMLDialogElement>("friends"), {
    session: deps.session,
    onVisit: (villageId) => deps.visit(villageId),
    needAccount: () => account.open("friends"),
  });
  const neighbours = new NeighboursDialog(byId<HTMLDialogElement>("neighbours"), { session: deps.session, onVisit: (villageId) => deps.visit(villageId) });
  const notifications = new NotificationsFeed(byId<HTMLDialogElement>("notifications"), {
    session: deps.session,
    befriended: (friend) => {
      deps.toast.show(() => t("friends.invite.accepted", { name: friend.name }), "success", { ms: 6000 });
      void friends.load();
    },
    thanked: () => deps.toast.show(() => t("thankYou.done"), "success", { ms: 5000 }),
    openVillage: (villageId) => deps.visit(villageId),
  });
  account.addSection(new AccountDataPart({ session: deps.session, toast: account.toast }));
  return {
    account,
    friends,
    neighbours,
    notifications,
    render() {
      account.render();
      friends.render();
      neighbours.render();
      notifications.render();
    },
    notified: (message) => {
      notifications.received(message);
      // A request or an acceptance changes the friends list now, not at its next read.
      const kind = message.notification.kind;
      if (kind === "friend_request" || kind === "friend_accepted") void friends.load();
    },
    async started(session) {
      if (notice) deps.toast.show(() => t(NOTICES[notice]), "success", { ms: 7000 });
      account.render();
      friends.start();
      neighbours.start();
      notifications.start();
      // A mailed link (confirm a sign-up, reset a password) asks for the password first; a pending invite waits for it.
      if (mailedLink) {
        account.openLink(mailedLink);
        return;
      }
      await acceptPendingInvite({
        session, fresh: freshInvite, toast: deps.toast,
        askForAccount: () => account.open("invite"),
        inviterKnown: (name) => account.setInviter(name),
        befriended: () => void friends.load(),
      });
    },
  };
}
