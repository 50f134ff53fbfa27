import { fileURLToPath } from "node:url";
import { CfnElement } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { build, type Plugin } from "esbuild";
import { App, type FunctionProps, getStack, useFunctions } from "sst/constructs";
import { initProject } from "sst/project.js";
import { beforeAll, describe, expect, it } from "vitest";
import { STATE_TABLE_TTL_ATTRIBUTE, stateTableDefinition } from "../../core/aws/state-table.ts";
import { Branchkeeper } from "../../stacks/branchkeeper-stack.ts";
import { RULE_PATTERNS } from "../../stacks/event-patterns.ts";
import { FUNCTION_NODEJS, sdkSchemaLiteralKeys, zodEnglishLocaleOnly } from "../../stacks/function-bundling.ts";
import { EC2_READ_ACTIONS, ELBV2_READ_ACTIONS, STATE_READ_ACTIONS } from "../../stacks/iam-statements.ts";
import { stageConfigFor } from "../../stacks/stage-config.ts";

/** A CloudFormation resource as the synthesized template holds it. */
interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** One function as SST registered it: what the template cannot show before bundling (handler, runtime, format). */
interface FunctionFacts {
  readonly logicalId: string;
  readonly handler: string | undefined;
  readonly runtime: string | undefined;
  readonly props: FunctionProps | undefined;
}

interface Synthesized {
  readonly template: Template;
  readonly resources: Record<string, Resource>;
  readonly functions: readonly FunctionFacts[];
}

const ACCOUNT = "111122223333";
const REGION = "us-west-2";

const synthesize = (stage: string): Synthesized => {
  const app = new App({ mode: "deploy", name: "branchkeeper", stage, account: ACCOUNT, region: REGION });
  app.stack(Branchkeeper);
  const stack = getStack(Branchkeeper);
  const registered = useFunctions();
  const functions = stack.getAllFunctions().map((fn) => {
    const { data } = fn.getConstructMetadata();
    const resource = fn.node.defaultChild;
    if (!(resource instanceof CfnElement)) throw new Error(`function ${fn.node.id} has no CloudFormation resource`);
    return {
      logicalId: stack.getLogicalId(resource),
      handler: data.handler,
      runtime: data.runtime,
      props: registered.fromID(fn.node.addr),
    };
  });
  const template = Template.fromStack(stack);
  return { template, resources: template.toJSON().Resources, functions };
};

const ofType = (resources: Record<string, Resource>, type: string): [string, Resource][] =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

/** The one resource of a type (that passes `filter`), as [logical id, resource]. */
const single = (
  resources: Record<string, Resource>,
  type: string,
  filter: (resource: Resource) => boolean = () => true,
): [string, Resource] => {
  const found = ofType(resources, type).filter(([, resource]) => filter(resource));
  const [first] = found;
  if (first === undefined || found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return first;
};

const isEventsQueue = (queue: Resource): boolean => queue.Properties.RedrivePolicy !== undefined;
const isDeadLetterQueue = (queue: Resource): boolean => !isEventsQueue(queue);

const functionId = (synthesized: Synthesized, handler: string): string => {
  const found = synthesized.functions.find((fn) => fn.handler === handler);
  if (found === undefined) throw new Error(`no function with handler ${handler}`);
  return found.logicalId;
};

const functionProperties = (synthesized: Synthesized, handler: string): Record<string, unknown> => {
  const resource = synthesized.resources[functionId(synthesized, handler)];
  if (resource === undefined) throw new Error(`no resource for ${handler}`);
  return resource.Properties;
};

/** Every statement of every inline and attached policy in the template, with the roles it applies to. */
const statementsOf = (resources: Record<string, Resource>): { roles: string[]; statement: Statement }[] => [
  ...ofType(resources, "AWS::IAM::Policy").flatMap(([, policy]) => {
    const roles = ((policy.Properties.Roles ?? []) as { Ref: string }[]).map((role) => role.Ref);
    const document = policy.Properties.PolicyDocument as { Statement: Statement[] };
    return document.Statement.map((statement) => ({ roles, statement }));
  }),
  ...ofType(resources, "AWS::IAM::Role").flatMap(([roleId, role]) =>
    ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((policy) =>
      policy.PolicyDocument.Statement.map((statement) => ({ roles: [roleId], statement })),
    ),
  ),
];

/** Statements of resource policies (the queues': who may send events to them). */
const resourcePolicyStatementsOf = (resources: Record<string, Resource>): Statement[] =>
  ofType(resources, "AWS::SQS::QueuePolicy").flatMap(
    ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );

const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

const roleOf = (synthesized: Synthesized, handler: string): string => {
  const role = functionProperties(synthesized, handler).Role as { "Fn::GetAtt": [string, string] };
  return role["Fn::GetAtt"][0];
};

const allowedActionsOfRole = (synthesized: Synthesized, roleId: string): string[] =>
  statementsOf(synthesized.resources)
    .filter(({ roles, statement }) => roles.includes(roleId) && statement.Effect === "Allow")
    .flatMap(({ statement }) => actionsOf(statement));

/** The statements allowing `action`, with the roles each is attached to. */
const grantsOf = (synthesized: Synthesized, action: string): { roles: string[]; statement: Statement }[] =>
  statementsOf(synthesized.resources).filter(
    ({ statement }) => statement.Effect === "Allow" && actionsOf(statement).includes(action),
  );

/** The roles of the two functions that may act on the account. */
const reconcilerRoles = (synthesized: Synthesized): string[] => [
  ...new Set([roleOf(synthesized, "functions/events.handler"), roleOf(synthesized, "functions/sweep.handler")]),
];

const rolesGranted = (synthesized: Synthesized, action: string): string[] =>
  grantsOf(synthesized, action)
    .flatMap(({ roles }) => roles)
    .sort();

/** The routes tests outside this repo call (DESIGN.md, "Status API"). */
const DESIGN_ROUTE_KEYS = [
  "GET /v1/health",
  "GET /v1/clusters",
  "GET /v1/clusters/{cluster}/enis",
  "GET /v1/enis/{eniId}",
  "GET /v1/clusters/{cluster}/findings",
  "GET /v1/actions",
];

const HANDLERS = ["functions/events.handler", "functions/sweep.handler", "functions/api.handler"] as const;

describe("Branchkeeper stack", () => {
  let dev: Synthesized;
  let prod: Synthesized;

  beforeAll(async () => {
    await initProject({ stage: "dev" });
    dev = synthesize("dev");
    prod = synthesize("prod");
  });

  describe("state table", () => {
    it("deploys exactly the shared schema: keys, attribute types and indexes of stateTableDefinition", () => {
      const definition = stateTableDefinition("dev-branchkeeper-state");
      const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }) =>
        String(a.AttributeName).localeCompare(String(b.AttributeName));

      const [, table] = single(dev.resources, "AWS::DynamoDB::Table");

      expect(table.Properties.TableName).toBe(definition.TableName);
      expect(table.Properties.KeySchema).toEqual(definition.KeySchema);
      expect([...(table.Properties.AttributeDefinitions as { AttributeName: string }[])].sort(byName)).toEqual(
        [...(definition.AttributeDefinitions ?? [])].sort(byName),
      );
      expect(table.Properties.GlobalSecondaryIndexes).toEqual(definition.GlobalSecondaryIndexes);
    });

    it("is on demand, with point-in-time recovery and TTL on the expiry attribute", () => {
      dev.template.hasResourceProperties("AWS::DynamoDB::Table", {
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: STATE_TABLE_TTL_ATTRIBUTE, Enabled: true },
      });
    });

    it("is retained and deletion-protected in prod, removable in other stages", () => {
      const [, devTable] = single(dev.resources, "AWS::DynamoDB::Table");
      const [, prodTable] = single(prod.resources, "AWS::DynamoDB::Table");

      expect(devTable.DeletionPolicy).toBe("Delete");
      expect(prodTable.DeletionPolicy).toBe("Retain");
      expect(prodTable.Properties.DeletionProtectionEnabled).toBe(true);
    });
  });

  describe("event path", () => {
    it("sends each exported pattern, unchanged, from the default bus to the events queue", () => {
      const rules = ofType(dev.resources, "AWS::Events::Rule").filter(([, rule]) => rule.Properties.EventPattern);
      const [queueId] = single(dev.resources, "AWS::SQS::Queue", isEventsQueue);

      expect(rules.map(([, rule]) => rule.Properties.EventPattern)).toEqual(Object.values(RULE_PATTERNS));
      for (const [, rule] of rules) {
        expect(rule.Properties.EventBusName).toBe("default");
        expect(rule.Properties.Targets).toEqual([
          expect.objectContaining({ Arn: { "Fn::GetAtt": [queueId, "Arn"] }, DeadLetterConfig: expect.anything() }),
        ]);
      }
    });

    it("moves a message to the dead-letter queue after five receives", () => {
      const [, queue] = single(dev.resources, "AWS::SQS::Queue", isEventsQueue);
      const [dlqId] = single(dev.resources, "AWS::SQS::Queue", isDeadLetterQueue);

      expect(queue.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { "Fn::GetAtt": [dlqId, "Arn"] },
        maxReceiveCount: 5,
      });
    });

    it("keeps a message invisible for at least six times the events function's timeout", () => {
      const timeout = functionProperties(dev, "functions/events.handler").Timeout as number;
      const [, queue] = single(dev.resources, "AWS::SQS::Queue", isEventsQueue);

      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    });

    it("feeds the events function in bounded batches, reporting item failures, with bounded concurrency", () => {
      const [, mapping] = single(dev.resources, "AWS::Lambda::EventSourceMapping");

      expect(mapping.Properties).toEqual(
        expect.objectContaining({
          FunctionName: { Ref: functionId(dev, "functions/events.handler") },
          FunctionResponseTypes: ["ReportBatchItemFailures"],
          BatchSize: 100,
          MaximumBatchingWindowInSeconds: 5,
          ScalingConfig: { MaximumConcurrency: 2 },
        }),
      );
    });
  });

  describe("sweep", () => {
    it("runs on the configured schedule, without retries (the next run is the retry)", () => {
      const [, schedule] = single(
        dev.resources,
        "AWS::Events::Rule",
        (rule) => rule.Properties.ScheduleExpression !== undefined,
      );

      expect(schedule.Properties.ScheduleExpression).toBe("rate(10 minutes)");
      expect(schedule.Properties.EventBusName).toBeUndefined();
      expect(schedule.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: { "Fn::GetAtt": [functionId(dev, "functions/sweep.handler"), "Arn"] },
        }),
      ]);
      dev.template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
        FunctionName: { Ref: functionId(dev, "functions/sweep.handler") },
        MaximumRetryAttempts: 0,
      });
    });
  });

  describe("status API", () => {
    it("serves exactly the documented routes, each with IAM authorization, from the api function", () => {
      const routes = ofType(dev.resources, "AWS::ApiGatewayV2::Route");
      const integrations = ofType(dev.resources, "AWS::ApiGatewayV2::Integration");
      const apiFunctionArn = { "Fn::GetAtt": [functionId(dev, "functions/api.handler"), "Arn"] };

      expect(routes.map(([, route]) => route.Properties.RouteKey).sort()).toEqual([...DESIGN_ROUTE_KEYS].sort());
      expect(routes.every(([, route]) => route.Properties.AuthorizationType === "AWS_IAM")).toBe(true);
      expect(integrations.every(([, integration]) => integration.Properties.IntegrationUri)).toBe(true);
      expect(integrations.map(([, integration]) => integration.Properties.IntegrationUri)).toEqual(
        integrations.map(() => apiFunctionArn),
      );
    });
  });

  describe("functions", () => {
    it("runs every handler on Node.js 22 (arm64) as a minified ES module bundle", () => {
      const handlers = dev.functions.map((fn) => fn.handler);

      expect(handlers).toEqual(expect.arrayContaining([...HANDLERS]));
      for (const handler of HANDLERS) {
        const fn = dev.functions.find((candidate) => candidate.handler === handler);
        expect(fn?.runtime).toBe("nodejs22.x");
        expect(fn?.props?.nodejs).toEqual(expect.objectContaining({ format: "esm", minify: true }));
        expect(functionProperties(dev, handler).Architectures).toEqual(["arm64"]);
      }
    });

    it("bundles every function as bench/cold-start.ts measures it: the SDK inside, with the tree-shaking plugins", () => {
      for (const handler of HANDLERS) {
        const nodejs = dev.functions.find((candidate) => candidate.handler === handler)?.props?.nodejs;
        expect(nodejs).toEqual(FUNCTION_NODEJS);
        // Nothing external: the SDK is bundled (the runtime's CommonJS SDK measured slower to load).
        expect(nodejs?.install).toBeUndefined();
        expect(nodejs?.esbuild?.external).toBeUndefined();
        expect(nodejs?.esbuild?.plugins?.map(({ name }) => name)).toEqual([
          sdkSchemaLiteralKeys.name,
          zodEnglishLocaleOnly.name,
        ]);
      }
    });

    it("gives every function the environment contract, dry-run by default with core/config.ts defaults", () => {
      const [tableId] = single(dev.resources, "AWS::DynamoDB::Table");

      for (const handler of HANDLERS) {
        const environment = (functionProperties(dev, handler).Environment as { Variables: Record<string, unknown> })
          .Variables;
        expect(environment).toEqual(
          expect.objectContaining({
            TABLE_NAME: { Ref: tableId },
            MODE: "dry-run",
            CLUSTERS: "*",
            LEAK_GRACE_SECONDS: "600",
            MAX_DELETES_PER_RUN: "100",
            EC2_MUTATIONS_PER_SECOND: "2",
            RETAG: "add-missing",
            BACKEND_RULES: "repair",
          }),
        );
        expect(environment).not.toHaveProperty("NOTIFY_BUS_NAME");
      }
    });

    it("stays in dry-run in prod too until a deploy-time override says enforce, and notifies on its own bus there", () => {
      const [busId] = single(prod.resources, "AWS::Events::EventBus");

      expect(ofType(dev.resources, "AWS::Events::EventBus")).toHaveLength(0);
      for (const handler of HANDLERS) {
        const environment = (functionProperties(prod, handler).Environment as { Variables: Record<string, unknown> })
          .Variables;
        expect(environment).toEqual(expect.objectContaining({ MODE: "dry-run", NOTIFY_BUS_NAME: { Ref: busId } }));
      }
      expect(stageConfigFor("prod", { BRANCHKEEPER_MODE: "enforce" }).mode).toBe("enforce");
      expect(() => stageConfigFor("prod", { BRANCHKEEPER_MODE: "yolo" })).toThrow(/MODE/);
    });
  });

  describe("identity", () => {
    it("runs events and sweep under one role, so each recognises the other's CloudTrail events as its own", () => {
      expect(roleOf(dev, "functions/events.handler")).toBe(roleOf(dev, "functions/sweep.handler"));
      expect(roleOf(dev, "functions/api.handler")).not.toBe(roleOf(dev, "functions/events.handler"));
    });
  });

  describe("least privilege", () => {
    it("allows no wildcard action anywhere, service-wide or partial; wildcards only deny plain-HTTP queue access", () => {
      const statements = [dev, prod].flatMap((synthesized) => [
        ...statementsOf(synthesized.resources).map(({ statement }) => statement),
        ...resourcePolicyStatementsOf(synthesized.resources),
      ]);
      const withWildcard = statements.filter((statement) =>
        actionsOf(statement).some((action) => action.includes("*")),
      );

      expect(statements.filter((statement) => statement.Effect === "Allow").length).toBeGreaterThan(0);
      expect(withWildcard.length).toBeGreaterThan(0);
      for (const statement of withWildcard) {
        expect(statement).toEqual(
          expect.objectContaining({
            Effect: "Deny",
            Action: "sqs:*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        );
      }
    });

    it("lists every Describe action it needs explicitly, on resources EC2 and ELBv2 cannot narrow", () => {
      const describesOf = (roleId: string) =>
        allowedActionsOfRole(dev, roleId)
          .filter((action) => /^(ec2|elasticloadbalancing):Describe/.test(action))
          .sort();

      const describes = reconcilerRoles(dev).map(describesOf);

      expect(describes).toEqual([[...EC2_READ_ACTIONS, ...ELBV2_READ_ACTIONS].sort()]);
    });

    it("deletes only ENIs owned by the VPC resource controller", () => {
      const grants = grantsOf(dev, "ec2:DeleteNetworkInterface");

      expect(rolesGranted(dev, "ec2:DeleteNetworkInterface")).toEqual(reconcilerRoles(dev));
      for (const { statement } of grants) {
        expect(actionsOf(statement)).toEqual(["ec2:DeleteNetworkInterface"]);
        expect(statement.Condition).toEqual({
          StringEquals: { "ec2:ResourceTag/eks:eni:owner": "eks-vpc-resource-controller" },
        });
        expect(JSON.stringify(statement.Resource)).toContain(":network-interface/*");
      }
    });

    it("disassociates trunk interfaces only in its own region (the action supports no tag condition)", () => {
      const grants = grantsOf(dev, "ec2:DisassociateTrunkInterface");

      expect(rolesGranted(dev, "ec2:DisassociateTrunkInterface")).toEqual(reconcilerRoles(dev));
      for (const { statement } of grants) {
        expect(actionsOf(statement)).toEqual(["ec2:DisassociateTrunkInterface"]);
        expect(statement.Condition).toEqual({ StringEquals: { "ec2:Region": REGION } });
      }
    });

    it("writes and removes only cluster and branchkeeper tags, only on security groups, never all tags at once", () => {
      const grants = [...grantsOf(dev, "ec2:CreateTags"), ...grantsOf(dev, "ec2:DeleteTags")];

      expect(rolesGranted(dev, "ec2:CreateTags")).toEqual(reconcilerRoles(dev));
      expect(rolesGranted(dev, "ec2:DeleteTags")).toEqual(reconcilerRoles(dev));
      for (const { statement } of grants) {
        expect(statement.Condition).toEqual({
          "ForAllValues:StringLike": { "aws:TagKeys": ["kubernetes.io/cluster/*", "branchkeeper.io/*"] },
          Null: { "aws:TagKeys": "false" },
        });
        expect(JSON.stringify(statement.Resource)).toContain(":security-group/*");
        expect(JSON.stringify(statement.Resource)).not.toContain("network-interface");
      }
    });

    it("sends follow-ups only to its own events queue, from the events and sweep functions", () => {
      const [eventsQueueId] = ofType(dev.resources, "AWS::SQS::Queue").find(([, queue]) => isEventsQueue(queue)) ?? [];
      const grants = grantsOf(dev, "sqs:SendMessage");

      expect(rolesGranted(dev, "sqs:SendMessage")).toEqual(reconcilerRoles(dev));
      for (const { statement } of grants) {
        expect(statement.Resource).toEqual({ "Fn::GetAtt": [eventsQueueId, "Arn"] });
      }
      for (const handler of ["functions/events.handler", "functions/sweep.handler"]) {
        const environment = (functionProperties(dev, handler).Environment as { Variables: Record<string, unknown> })
          .Variables;
        expect(environment.FOLLOW_UP_QUEUE_URL).toEqual({ Ref: eventsQueueId });
      }
      const apiEnvironment = (
        functionProperties(dev, "functions/api.handler").Environment as { Variables: Record<string, unknown> }
      ).Variables;
      expect(apiEnvironment).not.toHaveProperty("FOLLOW_UP_QUEUE_URL");
    });

    it("edits ingress rules on security groups only", () => {
      const grants = [
        ...grantsOf(dev, "ec2:AuthorizeSecurityGroupIngress"),
        ...grantsOf(dev, "ec2:RevokeSecurityGroupIngress"),
      ];

      expect(rolesGranted(dev, "ec2:RevokeSecurityGroupIngress")).toEqual(reconcilerRoles(dev));
      for (const { statement } of grants) {
        expect(Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).toHaveLength(1);
        expect(JSON.stringify(statement.Resource)).toContain(":security-group/*");
      }
    });

    it("confines DynamoDB access to the state table and its indexes", () => {
      const [tableId] = single(dev.resources, "AWS::DynamoDB::Table");
      const dynamodb = statementsOf(dev.resources)
        .map(({ statement }) => statement)
        .filter((statement) => actionsOf(statement).some((action) => action.startsWith("dynamodb:")));

      expect(dynamodb.length).toBeGreaterThan(0);
      for (const statement of dynamodb) {
        const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        for (const resource of resources) expect(JSON.stringify(resource)).toContain(`"${tableId}"`);
      }
    });

    it("lets the api function read the state table and nothing else", () => {
      const actions = allowedActionsOfRole(dev, roleOf(dev, "functions/api.handler"));
      const tracing = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

      expect(actions.filter((action) => !tracing.includes(action)).sort()).toEqual([...STATE_READ_ACTIONS].sort());
    });

    it("puts notification events on its own bus only, and only where notifications are enabled", () => {
      const [busId] = single(prod.resources, "AWS::Events::EventBus");
      const grants = grantsOf(prod, "events:PutEvents");

      expect(grantsOf(dev, "events:PutEvents")).toEqual([]);
      expect(rolesGranted(prod, "events:PutEvents")).toEqual(reconcilerRoles(prod));
      expect(grants.map(({ statement }) => statement.Resource)).toEqual(
        grants.map(() => ({ "Fn::GetAtt": [busId, "Arn"] })),
      );
    });
  });

  describe("alarms", () => {
    it("alarms on dead letters and on every function's errors and throttles", () => {
      const alarms = ofType(dev.resources, "AWS::CloudWatch::Alarm").map(([, alarm]) => alarm.Properties);
      const [dlqId] = single(dev.resources, "AWS::SQS::Queue", isDeadLetterQueue);
      const watched = (metric: string) =>
        alarms
          .filter((alarm) => alarm.MetricName === metric)
          .map((alarm) => (alarm.Dimensions as { Value: unknown }[])[0]?.Value);

      expect(
        alarms.every((alarm) => alarm.Threshold === 0 && alarm.ComparisonOperator === "GreaterThanThreshold"),
      ).toBe(true);
      expect(watched("ApproximateNumberOfMessagesVisible")).toEqual([{ "Fn::GetAtt": [dlqId, "QueueName"] }]);
      const functionRefs = HANDLERS.map((handler) => ({ Ref: functionId(dev, handler) }));
      expect(watched("Errors")).toEqual(expect.arrayContaining(functionRefs));
      expect(watched("Throttles")).toEqual(expect.arrayContaining(functionRefs));
      expect(alarms).toHaveLength(1 + 2 * HANDLERS.length);
    });
  });
});

/** The schema modules of the SDK clients the functions use (`stacks/function-bundling.ts` rewrites them). */
const SDK_SCHEMA_MODULES = [
  "@aws-sdk/client-ec2/dist-es/schemas/schemas_0.js",
  "@aws-sdk/client-elastic-load-balancing-v2/dist-es/schemas/schemas_0.js",
  "@aws-sdk/client-eks/dist-es/schemas/schemas_0.js",
  "@aws-sdk/client-dynamodb/dist-es/schemas/schemas_0.js",
  "@aws-sdk/client-eventbridge/dist-es/schemas/schemas_0.js",
  "@aws-sdk/client-sts/dist-es/schemas/schemas_0.js",
  "@aws-sdk/client-sqs/dist-es/schemas/schemas_0.js",
  "@aws-sdk/nested-clients/dist-es/submodules/sts/schemas/schemas_0.js",
];

/** Bundle a module source (no tree-shaking of its exports) and import it. */
const importBundled = async (contents: string, plugins: Plugin[]): Promise<Record<string, unknown>> => {
  const result = await build({
    stdin: { contents, resolveDir: fileURLToPath(new URL("../../", import.meta.url)), loader: "js" },
    bundle: true,
    format: "esm",
    platform: "node",
    mainFields: ["module", "main"],
    write: false,
    logLevel: "error",
    plugins,
  });
  const code = result.outputFiles[0]?.text ?? "";
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
};

/**
 * A schema module's exports as JSON: schemas are nested arrays and objects, references between them are
 * thunks (`() => Other$`), written as the name of the export they return.
 */
const schemaJson = (exports: Record<string, unknown>): string => {
  const names = new Map<unknown, string>(Object.entries(exports).map(([name, value]) => [value, name]));
  const plain = (value: unknown, inside: ReadonlySet<unknown>): unknown => {
    if (typeof value === "function") {
      if (/^class\b/.test(Function.prototype.toString.call(value))) return "class";
      const target = (value as () => unknown)();
      // An unexported schema is written out in place (once per path: schemas may be recursive).
      return {
        thunk: names.get(target) ?? (inside.has(target) ? "recursive" : plain(target, new Set([...inside, target]))),
      };
    }
    if (Array.isArray(value)) return value.map((item) => plain(item, inside));
    if (value instanceof Object && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item, inside)]));
    }
    return value instanceof Object ? value.constructor.name : value;
  };
  return JSON.stringify(Object.entries(exports).map(([name, value]) => [name, plain(value, new Set())]));
};

describe("function bundling", () => {
  it.each(SDK_SCHEMA_MODULES)("rewrites computed schema keys to the same objects: %s", async (module) => {
    // A file path, not a package specifier: `exports` maps hide dist-es from package specifiers.
    const source = `export * from ${JSON.stringify(`./node_modules/${module}`)};`;
    const original = await importBundled(source, []);
    const rewritten = await importBundled(source, [sdkSchemaLiteralKeys]);

    expect(Object.keys(original).length).toBeGreaterThan(10);
    expect(schemaJson(rewritten)).toBe(schemaJson(original));
  });

  it("keeps zod's English messages, and only English", async () => {
    const source = `import { z } from "zod";
      export const locales = Object.keys(z.locales);
      export const message = z.object({ name: z.string() }).safeParse({ name: 1 }).error?.issues[0]?.message;`;
    const full = await importBundled(source, []);
    const englishOnly = await importBundled(source, [zodEnglishLocaleOnly]);

    expect(englishOnly.locales).toEqual(["en"]);
    expect(full.locales).toEqual(expect.arrayContaining(["en", "fr"]));
    expect(englishOnly.message).toBe(full.message);
    expect(englishOnly.message).toMatch(/^Invalid input: expected string/);
  });
});
