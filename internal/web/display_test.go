package web

import "testing"

func TestDeviceName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"MAC_Client(6.0.2.33403)", "Zoom desktop (Mac)"},
		{"Windows_Client(6.0.2.33403)", "Zoom desktop (Windows)"},
		{"iOS_Client(6.0.2.20024)", "Zoom mobile (iPhone or iPad)"},
		{"Android_Client(6.0.2.19845)", "Zoom mobile (Android)"},
		{"Polycom_VVX450(6.4.3.5018)", "Desk phone (Polycom VVX 450)"},
		{"Yealink_T54W(96.86.0.70)", "Desk phone (Yealink T54W)"},
		{"Linux_Client(5.17.1)", "Zoom desktop (Linux)"},
		{"Cisco_8851(12.0)", "Desk phone (Cisco 8851)"},
		{"Some_Gadget(1.0)", "Some Gadget"},
		{"softphone", "softphone"},
		{"", ""},
		{"  MAC_Client  ", "Zoom desktop (Mac)"},
	} {
		if got := deviceName(tc.in); got != tc.want {
			t.Errorf("deviceName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCallerName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"GARCIA MARIA", "Garcia Maria"},
		{"O'NEIL-SMITH JO", "O'Neil-Smith Jo"},
		{"UNKNOWN", ""},
		{"unknown", ""},
		{"Anonymous", ""},
		{"", ""},
		{"Maria de la Cruz", "Maria de la Cruz"},
		{"+1 555 0100", "+1 555 0100"},
		{"ÉLODIE DUPONT", "Élodie Dupont"},
	} {
		if got := callerName(tc.in); got != tc.want {
			t.Errorf("callerName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
