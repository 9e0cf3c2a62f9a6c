// Reads calendar invites with ical.js (npm) and prints, as JSON, what a
// calendar takes from each: METHOD, and the event's UID, SEQUENCE, STATUS and
// times in UTC. zoombridge's booking tests run it on the invites they receive.
import fs from "node:fs";
import ICAL from "ical.js";

const out = process.argv.slice(2).map((file) => {
  const cal = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
  const vevent = cal.getFirstSubcomponent("vevent");
  const ev = new ICAL.Event(vevent);
  return {
    method: cal.getFirstPropertyValue("method"),
    uid: ev.uid,
    sequence: ev.sequence,
    status: vevent.getFirstPropertyValue("status"),
    start: ev.startDate.toJSDate().toISOString(),
    end: ev.endDate.toJSDate().toISOString(),
  };
});
console.log(JSON.stringify(out));
