import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas/eventbridge";
import type { z } from "zod";
import type { SnapshotScope } from "../model/cluster-snapshot.ts";
import { listedIds } from "../model/listed-ids.ts";
import { TAGS } from "../model/tags.ts";
import { type CallerIdentity, isOwnCall } from "../ports/caller-identity.ts";
import { type CloudTrailDetail, cloudTrailDetailSchema } from "./cloudtrail-detail.ts";
import { idsAt, itemsAt, objectAt, stringAt } from "./cloudtrail-parameters.ts";
import { EKS_CLUSTER_NAME } from "./eks-cluster-name.ts";
import { FOLLOW_UP_DETAIL_TYPE, FOLLOW_UP_SOURCE, followUpDetailSchema } from "./follow-up-event.ts";
import { instanceStateChangeDetailSchema } from "./instance-state-change-detail.ts";
import { MalformedEventError } from "./malformed-event-error.ts";
import { mergeScopes } from "./merge-scopes.ts";
import type { EventInterpretation } from "./reconcile-trigger.ts";

type EventBridgeEnvelope = z.infer<typeof EventBridgeSchema>;

/** What a CloudTrail call asks for, or why it asks for nothing. */
type CallReading = { scopes: SnapshotScope[]; clusters?: string[]; reason: string } | { ignore: string };

/** Instance states after which the node's branch ENIs can no longer be in use. */
const NODE_GONE_STATES = new Set(["shutting-down", "terminated", "stopping", "stopped"]);

/** Tag keys whose change can alter a decision. */
const RELEVANT_TAG_PREFIXES = [TAGS.clusterPrefix, "branchkeeper.io/", TAGS.eniOwner, "elbv2.k8s.aws/"];

/** The view of one ENI. */
const eniScope = (id: string): SnapshotScope[] => [{ kind: "eni", ids: [id] }];

const readEc2Call = (
  name: string,
  request: CloudTrailDetail["requestParameters"],
  response: CloudTrailDetail["responseElements"],
): CallReading => {
  switch (name) {
    case "CreateNetworkInterface": {
      const eni = objectAt(response, "networkInterface");
      const id = stringAt(eni, "networkInterfaceId");
      return id
        ? { scopes: eniScope(id), reason: `network interface ${id} was created` }
        : { ignore: "no interface id in the response" };
    }
    case "DeleteNetworkInterface":
    case "ModifyNetworkInterfaceAttribute": {
      const id = stringAt(request, "networkInterfaceId");
      return id ? { scopes: eniScope(id), reason: `${name} on ${id}` } : { ignore: "no interface id in the request" };
    }
    case "AssociateTrunkInterface": {
      const id = stringAt(request, "branchInterfaceId");
      return id
        ? { scopes: eniScope(id), reason: `branch ${id} was associated to a trunk` }
        : { ignore: "no branch id in the request" };
    }
    case "DisassociateTrunkInterface": {
      const association = objectAt(response, "interfaceAssociation");
      const id = stringAt(association, "branchInterfaceId");
      return id
        ? { scopes: eniScope(id), reason: `branch ${id} was disassociated from its trunk` }
        : { ignore: "the association id alone does not name the branch; the sweep covers it" };
    }
    case "CreateTags":
    case "DeleteTags": {
      const keys = itemsAt(request, "tagSet").map((tag) => String(tag.key ?? ""));
      if (keys.length > 0 && !keys.some((key) => RELEVANT_TAG_PREFIXES.some((prefix) => key.startsWith(prefix)))) {
        return { ignore: `tag keys ${listedIds(keys)} do not affect any decision` };
      }
      const ids = idsAt(request, "resourcesSet", "resourceId");
      // Views that name no id are dropped: only ENIs and security groups matter here.
      const scopes = mergeScopes([
        { kind: "eni", ids: ids.filter((id) => id.startsWith("eni-")) },
        { kind: "security-group", ids: ids.filter((id) => id.startsWith("sg-")) },
      ]);
      return scopes.length > 0
        ? { scopes, reason: `${name} on ${listedIds(ids)}` }
        : { ignore: "no ENI or security group among the tagged resources" };
    }
    case "AuthorizeSecurityGroupIngress":
    case "RevokeSecurityGroupIngress": {
      const id = stringAt(request, "groupId");
      // Whether a rule is needed depends on every binding of the cluster: look at the whole load-balancing side.
      return id
        ? { scopes: [{ kind: "load-balancing" }], reason: `${name} on ${id} may leave a backend rule missing or stale` }
        : { ignore: "no group id in the request" };
    }
    case "TerminateInstances": {
      const ids = idsAt(request, "instancesSet", "instanceId");
      return ids.length > 0
        ? {
            scopes: mergeScopes([{ kind: "instance", ids }]),
            reason: `instances ${listedIds(ids)} are being terminated`,
          }
        : { ignore: "no instance ids in the request" };
    }
    default:
      return { ignore: `EC2 ${name} does not affect branch ENIs, tags or backend rules` };
  }
};

const readEksCall = (name: string, request: CloudTrailDetail["requestParameters"]): CallReading => {
  const cluster = stringAt(request, name === "DeleteNodegroup" ? "clusterName" : "name");
  if (!cluster) return { ignore: `no cluster name in the ${name} request` };
  if (!EKS_CLUSTER_NAME.test(cluster)) {
    return { ignore: `${JSON.stringify(cluster.slice(0, 120))} is not a name EKS accepts for a cluster` };
  }
  switch (name) {
    case "DeleteCluster":
      return {
        scopes: [{ kind: "full" }],
        clusters: [cluster],
        reason: `cluster ${cluster} is being deleted: its leftovers must be cleaned`,
      };
    case "CreateCluster":
      return { scopes: [{ kind: "full" }], clusters: [cluster], reason: `cluster ${cluster} was created` };
    case "DeleteNodegroup":
      return {
        scopes: [{ kind: "full" }],
        clusters: [cluster],
        reason: `a node group of cluster ${cluster} is being deleted`,
      };
    default:
      return { ignore: `EKS ${name} does not affect branch ENIs, tags or backend rules` };
  }
};

const readElbv2Call = (name: string): CallReading => ({
  scopes: [{ kind: "load-balancing" }],
  reason: `ELBv2 ${name} may change which backend rules are needed`,
});

const parseDetail = <T>(schema: z.ZodType<T>, detail: unknown, what: string): T => {
  const parsed = schema.safeParse(detail);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "detail"}: ${issue.message}`)
      .join("; ");
    throw new MalformedEventError(`malformed ${what} detail: ${problems}`, { cause: parsed.error });
  }
  return parsed.data;
};

const interpretCloudTrail = (envelope: EventBridgeEnvelope, self: CallerIdentity): EventInterpretation => {
  const detail = parseDetail(cloudTrailDetailSchema, envelope.detail, "CloudTrail");
  const eventId = envelope.id;
  const call = `${detail.eventSource} ${detail.eventName}`;
  if (detail.errorCode)
    return { kind: "ignored", eventId, reason: `${call} failed (${detail.errorCode}): nothing changed` };
  if (isOwnCall(self, detail.userIdentity))
    return { kind: "ignored", eventId, reason: `${call} was made by Branchkeeper itself` };
  let reading: CallReading;
  if (detail.eventSource === "ec2.amazonaws.com") {
    reading = readEc2Call(detail.eventName, detail.requestParameters, detail.responseElements);
  } else if (detail.eventSource === "eks.amazonaws.com") {
    reading = readEksCall(detail.eventName, detail.requestParameters);
  } else if (detail.eventSource === "elasticloadbalancing.amazonaws.com") {
    reading = readElbv2Call(detail.eventName);
  } else {
    return { kind: "unknown", eventId, reason: `CloudTrail event source ${detail.eventSource} is not handled` };
  }
  if ("ignore" in reading) return { kind: "ignored", eventId, reason: `${call}: ${reading.ignore}` };
  return {
    kind: "trigger",
    trigger: {
      eventId,
      eventTime: detail.eventTime ?? envelope.time,
      scopes: reading.scopes,
      reason: reading.reason,
      ...(reading.clusters ? { clusters: reading.clusters } : {}),
    },
  };
};

/**
 * Understand one EventBridge event: what to observe again, or why nothing. Events are hints, EC2
 * is the truth: a trigger only names where to look, never what to conclude.
 *
 * @throws MalformedEventError when the input is not an EventBridge event, or a known type has the wrong shape.
 */
export const interpretEvent = (input: unknown, self: CallerIdentity): EventInterpretation => {
  const envelope = EventBridgeSchema.safeParse(input);
  if (!envelope.success) {
    const problems = envelope.error.issues
      .map((issue) => `${issue.path.join(".") || "event"}: ${issue.message}`)
      .join("; ");
    throw new MalformedEventError(`not an EventBridge event: ${problems}`, { cause: envelope.error });
  }
  const event = envelope.data;
  // The default bus of one account and region is Branchkeeper's only source; an event forwarded from
  // elsewhere names resources it cannot see (and must not spend calls looking for).
  if (event.account !== self.accountId) {
    return {
      kind: "ignored",
      eventId: event.id,
      reason: `the event is from account ${event.account}; Branchkeeper works in ${self.accountId}`,
    };
  }
  if (self.region !== undefined && event.region !== self.region) {
    return {
      kind: "ignored",
      eventId: event.id,
      reason: `the event is from region ${event.region}; Branchkeeper works in ${self.region}`,
    };
  }
  const kind = `${event.source} / ${event["detail-type"]}`;
  if (event["detail-type"] === "AWS API Call via CloudTrail") return interpretCloudTrail(event, self);
  if (event.source === "aws.ec2" && event["detail-type"] === "EC2 Instance State-change Notification") {
    const detail = parseDetail(instanceStateChangeDetailSchema, event.detail, "EC2 state-change");
    if (!NODE_GONE_STATES.has(detail.state)) {
      return {
        kind: "ignored",
        eventId: event.id,
        reason: `instance ${detail["instance-id"]} is ${detail.state}: nothing can have leaked`,
      };
    }
    return {
      kind: "trigger",
      trigger: {
        eventId: event.id,
        eventTime: event.time,
        scopes: [{ kind: "instance", ids: [detail["instance-id"]] }],
        reason: `instance ${detail["instance-id"]} is ${detail.state}: its branch ENIs may be left behind`,
      },
    };
  }
  if (event.source === FOLLOW_UP_SOURCE && event["detail-type"] === FOLLOW_UP_DETAIL_TYPE) {
    const detail = parseDetail(followUpDetailSchema, event.detail, "follow-up");
    return {
      kind: "trigger",
      trigger: {
        eventId: event.id,
        eventTime: event.time,
        clusters: [detail.cluster],
        scopes: mergeScopes([{ kind: "eni", ids: detail.eniIds }]),
        reason: `follow-up: the grace of ${listedIds(detail.eniIds)} in ${detail.cluster} elapses at ${detail.dueAt}`,
        followUp: true,
      },
    };
  }
  return { kind: "unknown", eventId: event.id, reason: `${kind} is not an event Branchkeeper handles` };
};
