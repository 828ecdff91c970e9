/* The ticket page's notifications where a page cannot show its own (Chrome on Android):
   tapping one brings back the ticket's page. It caches nothing and controls no page. */
"use strict";

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = String(event.notification.data || "");
  if (!url.startsWith(`${self.location.origin}/t/`)) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((open) => {
      const page = open.find((client) => client.url === url);
      return page ? page.focus() : self.clients.openWindow(url);
    }),
  );
});
