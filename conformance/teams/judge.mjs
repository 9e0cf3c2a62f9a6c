// judge.mjs: Microsoft's verdict on a corpus of Bot Framework tokens.
//
// Reads {metadataUrl, appId, cases: [{name, token, channelId, serviceUrl}]} as JSON on stdin and
// writes {name: "accept" | "reject: reason"} as JSON on stdout. Each token is judged by
// botframework-connector's ChannelValidation.authenticateChannelTokenWithServiceUrl, the check
// the Bot Framework SDK makes on every activity a channel sends, with its OpenID metadata URL
// pointed at the caller's local key server. The Go differential test (internal/chat/teams)
// compares these verdicts with zoombridge's validator.
import { ChannelValidation, SimpleCredentialProvider } from "botframework-connector";

const input = JSON.parse(await new Promise((resolve, reject) => {
  let s = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (d) => (s += d));
  process.stdin.on("end", () => resolve(s));
  process.stdin.on("error", reject);
}));

ChannelValidation.OpenIdMetadataEndpoint = input.metadataUrl;
const credentials = new SimpleCredentialProvider(input.appId, "");
console.error = () => {}; // the SDK logs every failure; the verdicts are the output

const verdicts = {};
for (const c of input.cases) {
  try {
    await ChannelValidation.authenticateChannelTokenWithServiceUrl(
      "Bearer " + c.token, credentials, c.serviceUrl, c.channelId);
    verdicts[c.name] = "accept";
  } catch (e) {
    verdicts[c.name] = "reject: " + (e && e.message ? e.message : String(e));
  }
}
process.stdout.write(JSON.stringify(verdicts));
