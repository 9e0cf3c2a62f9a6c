package zoomsim

// Word lists for the scenario generator. They are plain ASCII so webhook bodies
// encode identically in Go and in JavaScript's JSON.stringify.

var firstNames = []string{
	"Ada", "Ben", "Chloe", "Dario", "Elena", "Felix", "Grace", "Hiro", "Ines", "Jonas",
	"Kara", "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara",
	"Umar", "Vera", "Wes", "Xenia", "Yusuf", "Zoe", "Amir", "Bianca", "Caleb", "Dana",
	"Emil", "Farah", "Gus", "Hanna", "Ivan", "Jade", "Kofi", "Lena", "Marco", "Nina",
	"Omar", "Priya", "Rafael", "Sofia", "Theo", "Uma", "Victor", "Wanda", "Yara", "Zane",
}

var lastNames = []string{
	"Alvarez", "Becker", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen",
	"Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintero", "Rossi", "Singh", "Tanaka",
	"Ulrich", "Varga", "Weber", "Xu", "Yilmaz", "Zhang", "Andersen", "Brooks", "Costa", "Diaz",
	"Evans", "Fontaine", "Gupta", "Hughes", "Iqbal", "Jovanovic", "Keller", "Larsen", "Mendes", "Novak",
}

var companies = []string{
	"northwind", "contoso", "fabrikam", "initech", "globex", "vandelay", "tailspin", "litware", "adatum", "wingtip",
}

var externalOrgs = []string{
	"Acme Corp", "Blue Harbor", "Cobalt Labs", "Delta Freight", "Evergreen Health", "Falcon Legal",
	"Granite Bank", "Helios Energy", "Ironwood Retail", "Juniper Schools",
}

var depts = []string{"Sales", "Engineering", "Support", "Marketing", "Finance", "Operations", "Product", "People"}

var timezones = []string{
	"America/Los_Angeles", "America/New_York", "America/Chicago", "Europe/London", "Europe/Berlin",
	"Europe/Paris", "Asia/Tokyo", "Asia/Singapore", "Australia/Sydney",
}

var groupTopics = []string{
	"Weekly sync", "Design review", "Sprint planning", "Quarterly business review", "Budget check-in",
	"Marketing standup", "Incident retro", "Roadmap discussion", "Hiring panel", "Launch readiness",
	"Customer escalation", "Architecture review", "Sales pipeline review", "All hands prep",
}

var customerTopics = []string{"Customer call", "Demo", "Onboarding session", "Renewal call", "Support follow-up"}

var webinarTopics = []string{
	"Product webinar: what's new", "Customer onboarding webinar", "Town hall", "Partner enablement",
	"Security best practices", "Live Q and A",
}

var recurringTopics = []string{"Team standup", "Weekly planning", "Staff meeting", "Project check-in", "Ops review"}

// Caller ID names as carriers deliver them: people, businesses and the generic ones.
var callerIDNames = []string{
	"WIRELESS CALLER", "ACME CORP", "BLUE HARBOR", "SMITH JOHN", "GARCIA MARIA", "CITY OF SPRINGFIELD",
	"COBALT LABS", "UNKNOWN", "DELTA FREIGHT", "LEE KEVIN", "PATEL ANIKA", "GRANITE BANK", "TOLL FREE CALL",
}

// Zoom Phone device strings in the form call history reports them.
var phoneDevices = []string{
	"Windows_Client(6.0.2.33403)", "MAC_Client(6.0.2.33403)", "iOS_Client(6.0.2.20024)",
	"Android_Client(6.0.2.19845)", "Polycom_VVX450(6.4.3.5018)", "Yealink_T54W(96.86.0.70)",
}

var clientVersions = []string{"6.0.2.33403(win)", "6.0.2.33403(mac)", "5.17.11.34827(win)", "6.1.0.35190(mac)"}

var summaryThemes = [][2]string{
	{"Project status", "The team reviewed progress against the plan and agreed the current milestone is on track."},
	{"Risks", "Two risks were raised: a dependency on another team and limited test coverage."},
	{"Customer feedback", "Recent feedback was mostly positive; onboarding remains the main pain point."},
	{"Budget", "Spending is within budget; a small reallocation was proposed for tooling."},
	{"Hiring", "Two open roles are in the final round; offers are expected next week."},
	{"Decisions", "The group agreed to ship the smaller scope first and follow up with the rest."},
}

var nextStepTexts = []string{
	"Share the updated plan with the wider team.",
	"Schedule a follow-up with the customer.",
	"Draft the proposal and circulate it for review.",
	"Update the tracker with today's decisions.",
	"Book time with finance to confirm the budget.",
	"Collect feedback from the beta testers.",
}
