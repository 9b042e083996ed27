/**
 * Telling the user about messages they are not looking at: a beep (when turned on) and a
 * desktop notification (when allowed), for other chats or while the tab is hidden.
 */
import { signal } from '@preact/signals';
import type { Message } from '../../shared/protocol';
import type { Settings } from '../settings/model';
import { beep, unlockAudio } from './beep';

const supported = typeof Notification !== 'undefined';

export function createNotifications(settings: Settings, open: (roomId: string) => void) {
  const permission = signal<NotificationPermission>(supported ? Notification.permission : 'denied');
  if (settings.sound.value) {
    // The context can only start after a gesture; the first click anywhere unlocks it.
    addEventListener('pointerdown', unlockAudio, { once: true });
  }

  return {
    permission,
    supported,
    setSound(on: boolean) {
      settings.sound.value = on;
      if (on) {
        unlockAudio();
        beep();
      }
    },
    async setDesktop(on: boolean) {
      if (on && supported && Notification.permission === 'default') {
        permission.value = await Notification.requestPermission();
      }
      settings.desktop.value = on && permission.value === 'granted';
    },
    /**
     * A new message arrived in a chat the user is not looking at: `chatName` for a room, null
     * for a direct message (named after the peer, who is the author: "Bo", not "Bo in Bo").
     */
    notify(author: string, chatName: string | null, message: Message) {
      if (settings.sound.value) beep();
      if (!settings.desktop.value || !supported || Notification.permission !== 'granted') return;
      const n = new Notification(chatName ? `${author} in ${chatName}` : author, {
        body: message.text.slice(0, 140) || 'Sent a file',
        tag: message.roomId,
      });
      n.onclick = () => {
        window.focus();
        open(message.roomId);
        n.close();
      };
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
