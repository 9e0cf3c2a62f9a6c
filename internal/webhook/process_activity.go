package webhook

import (
	"encoding/json"

	"github.com/zoombridge/zoombridge/internal/store"
)

// instanceObject is a meeting or webinar in meeting.started/ended and
// webinar.started/ended. Zoom's `duration` there is the scheduled length, so
// it is never used.
type instanceObject struct {
	ID        json.RawMessage `json:"id"` // a string in Zoom's docs, a number in older examples
	UUID      string          `json:"uuid"`
	HostID    string          `json:"host_id"`
	Topic     string          `json:"topic"`
	StartTime string          `json:"start_time"`
	EndTime   string          `json:"end_time"`
}

func (p *Processor) instance(in *ingester, ev store.InboxEvent, kind string) (string, error) {
	var o instanceObject
	if !decodePayload(ev.Body, &o, nil) || o.UUID == "" || o.HostID == "" {
		return OutcomeMalformed, nil
	}
	conns, err := in.connections(ev)
	if err != nil {
		return "", err
	}
	start, end := zoomTime(o.StartTime), zoomTime(o.EndTime)
	a := store.Activity{Kind: kind, ZoomID: o.UUID, ZoomNumber: text(o.ID), ZoomUserID: o.HostID, Title: o.Topic,
		StartAt: start, EndAt: end, DurationSeconds: seconds(start, end)}
	took, err := in.ingest(conns, a, p.now())
	if err != nil {
		return "", err
	}
	return result(conns, took), nil
}

// party is one end of a Zoom Phone call in phone.caller_ended/callee_ended.
type party struct {
	UserID     string `json:"user_id"`
	Name       string `json:"name"`
	DeviceType string `json:"device_type"`
	DeviceName string `json:"device_name"`
}

func (pt party) device() string {
	if pt.DeviceType != "" {
		return pt.DeviceType
	}
	return pt.DeviceName
}

type callEndedObject struct {
	CallID       string `json:"call_id"`
	Caller       party  `json:"caller"`
	Callee       party  `json:"callee"`
	RingingStart string `json:"ringing_start_time"`
	CallEnd      string `json:"call_end_time"`
}

// callEnded writes one activity per side that is a Zoom user of the
// account: the caller's outbound, the callee's inbound, sharing call_id.
func (p *Processor) callEnded(in *ingester, ev store.InboxEvent) (string, error) {
	var o callEndedObject
	if !decodePayload(ev.Body, &o, nil) || o.CallID == "" {
		return OutcomeMalformed, nil
	}
	conns, err := in.connections(ev)
	if err != nil {
		return "", err
	}
	start, end := zoomTime(o.RingingStart), zoomTime(o.CallEnd)
	took := false
	for _, side := range []struct {
		pt        party
		direction string
	}{{o.Caller, "outbound"}, {o.Callee, "inbound"}} {
		if side.pt.UserID == "" {
			continue
		}
		a := store.Activity{Kind: store.ActivityCall, ZoomID: o.CallID, ZoomUserID: side.pt.UserID, StartAt: start, EndAt: end,
			DurationSeconds: seconds(start, end), Direction: side.direction, CallerName: o.Caller.Name, Device: side.pt.device()}
		ok, err := in.ingest(conns, a, p.now())
		if err != nil {
			return "", err
		}
		took = took || ok
	}
	return result(conns, took), nil
}

// callLog is one record of phone.*_call_history_completed (current) or
// phone.*_call_log_completed (legacy, which has date_time and duration).
type callLog struct {
	CallID           string          `json:"call_id"`
	Direction        string          `json:"direction"`
	CallerName       string          `json:"caller_name"`
	CallerDeviceType string          `json:"caller_device_type"`
	CalleeName       string          `json:"callee_name"`
	CalleeExtNumber  string          `json:"callee_ext_number"` // call history
	CalleeNumber     string          `json:"callee_number"`     // legacy call log
	CalleeDeviceType string          `json:"callee_device_type"`
	StartTime        string          `json:"start_time"`
	EndTime          string          `json:"end_time"`
	DateTime         string          `json:"date_time"`
	CallEndTime      string          `json:"call_end_time"`
	Duration         json.RawMessage `json:"duration"`
}

type callHistoryObject struct {
	UserID   string    `json:"user_id"`
	CallLogs []callLog `json:"call_logs"`
}

// callHistory writes the record owner's side of each call.
func (p *Processor) callHistory(in *ingester, ev store.InboxEvent) (string, error) {
	var o callHistoryObject
	if !decodePayload(ev.Body, &o, nil) || o.UserID == "" {
		return OutcomeMalformed, nil
	}
	conns, err := in.connections(ev)
	if err != nil {
		return "", err
	}
	took := false
	for _, l := range o.CallLogs {
		if l.CallID == "" || (l.Direction != "inbound" && l.Direction != "outbound") {
			continue
		}
		start, end := zoomTime(l.StartTime), zoomTime(l.EndTime)
		if start.IsZero() {
			start = zoomTime(l.DateTime)
		}
		if end.IsZero() {
			end = zoomTime(l.CallEndTime)
		}
		dur := int(number(l.Duration))
		if dur <= 0 {
			dur = seconds(start, end)
		}
		device, callee := l.CalleeDeviceType, ""
		if l.Direction == "outbound" {
			device, callee = l.CallerDeviceType, store.CalleeOf(l.CalleeName, l.CalleeNumber, l.CalleeExtNumber)
		}
		a := store.Activity{Kind: store.ActivityCall, ZoomID: l.CallID, ZoomUserID: o.UserID, StartAt: start, EndAt: end,
			DurationSeconds: dur, Direction: l.Direction, CallerName: l.CallerName, Callee: callee, Device: device}
		ok, err := in.ingest(conns, a, p.now())
		if err != nil {
			return "", err
		}
		took = took || ok
	}
	return result(conns, took), nil
}
