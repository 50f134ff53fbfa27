/** The `--help` texts, one per command, as printed. */
export const HELP: Readonly<Record<"main" | "plan" | "status" | "explain", string>> = {
  main: `branchkeeper: keeps EKS security-groups-for-pods plumbing healthy (branch ENIs, cluster tags, LBC backend rules)

Usage:
  branchkeeper <command> [options]

Commands:
  plan      Dry-run one reconcile pass against the account with your own credentials (changes nothing)
  status    Query a deployed Branchkeeper status API (SigV4-signed)
  explain   Explain why an ENI or security group is in the state it is, and what Branchkeeper would do

Options:
  -h, --help     Show help (also: branchkeeper <command> --help)
  -V, --version  Show the version
      --debug    Show log lines and stack traces on stderr (credentials are never printed)

Environment: AWS_REGION, AWS_PROFILE and the usual credential chain, AWS_ENDPOINT_URL (e.g. the simulator),
and Branchkeeper's settings (CLUSTERS, LEAK_GRACE_SECONDS, MAX_DELETES_PER_RUN, RETAG, BACKEND_RULES).
Exit status: 0 success, 1 failure or incomplete result, 2 usage error.`,

  plan: `Usage: branchkeeper plan [--cluster NAME] [--region R] [--json] [--retag MODE] [--backend-rules MODE]

Runs one reconcile pass in dry-run mode (whatever MODE says) with the caller's AWS credentials and an
in-memory state store (no table): nothing in AWS is changed and nothing is published. Prints, per cluster,
the branch ENIs by state, the findings, the actions enforce mode would take now, and the leak candidates.

Leak candidates are not deleted in the first pass of any deployment either: Branchkeeper deletes a branch
ENI only when its evidence still holds in a later pass at least LEAK_GRACE_SECONDS after it was first
recorded, and a fresh describe right before the call confirms it. The plan says which candidates would be
reclaimed after the grace if the evidence persists, and which never will be (and why).

Options:
      --cluster NAME          Only this cluster (default: CLUSTERS, or every cluster found)
      --region R              AWS region (default: AWS_REGION or your profile's)
      --retag MODE            off | add-missing | enforce (default: RETAG, else add-missing)
      --backend-rules MODE    report | repair (default: BACKEND_RULES, else repair)
      --json                  Print one JSON document on stdout and nothing else there
      --debug                 Log lines and stack traces on stderr
  -h, --help                  Show this help`,

  status: `Usage: branchkeeper status --url URL [--cluster NAME [--state S]] [--eni ENI] [--actions [--kind K]]
                           [--limit N] [--region R] [--json]

Reads a deployed status API, signing every request with SigV4 (service execute-api) using the default
credential chain. Lists follow the API's cursors up to --limit items.

  (no selector)               Health and every cluster with its ENI counts by state
  --cluster NAME              The cluster's branch ENIs (optionally in one --state) and its findings
  --eni ENI                   One ENI and its history
  --actions                   The audit log (optionally of one --cluster and one --kind)

Options:
      --url URL               The API's base URL (https://<id>.execute-api.<region>.amazonaws.com)
      --state S               associated | detached | suspect | leaked | deleting | deleted | gone
      --kind K                delete-eni | tag-sg | untag-sg | authorize-rule | revoke-rule
      --limit N               At most N items per list, 1..100000 (default 100)
      --region R              Signing region (default: AWS_REGION, else taken from the URL)
      --json                  Print the API's answers as one JSON document on stdout
      --debug                 Log requests (never their signatures) and stack traces on stderr
  -h, --help                  Show this help`,

  explain: `Usage: branchkeeper explain <eni-id|sg-id> [--cluster NAME] [--region R] [--json]

For a branch ENI: reads it the way an event about it would (a scoped observation), then plans its cluster,
and prints its state, the leak evidence with its reason, and what Branchkeeper would do and why, or why
not (protected by branchkeeper.io/skip, not Branchkeeper's to touch, in use on a live trunk).
For a security group: its cluster-tag and backend-rule findings, and the planned actions that mention it.
Nothing is changed (dry-run, in-memory state).

Options:
      --cluster NAME          The cluster to look in (default: the ENI's own cluster tag; every cluster for a group)
      --region R              AWS region
      --json                  Print one JSON document on stdout
      --debug                 Log lines and stack traces on stderr
  -h, --help                  Show this help`,
};
