using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace SmartAccountPortal.Webhooks;

/// <summary>
/// The webhooks in the OpenAPI document (its <c>webhooks</c> section, OpenAPI 3.1): one POST per
/// event, with the Standard Webhooks headers and the payload's schema, whose request is the
/// API's <c>RequestSummary</c>.
/// </summary>
public static class WebhookOpenApi
{
    public static void Describe(OpenApiDocument document)
    {
        var email = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "The e-mail that failed every attempt (request.mail_failed only).",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["kind"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "activation, reminder, activated, declined, …" },
                ["to"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "email" },
                ["attempts"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["addressRefused"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "The recipient's mail server refused the address." },
            },
        };

        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        foreach (var e in WebhookEvents.All)
        {
            var type = WebhookEvents.TypeOf(e);
            var payload = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "type", "timestamp", "data" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(type)] },
                    ["timestamp"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "When the change happened." },
                    ["data"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = e == WebhookEvent.MailFailed
                            ? new Dictionary<string, IOpenApiSchema> { ["request"] = new OpenApiSchemaReference(nameof(Api.RequestSummary), document), ["email"] = email }
                            : new Dictionary<string, IOpenApiSchema> { ["request"] = new OpenApiSchemaReference(nameof(Api.RequestSummary), document) },
                    },
                },
            };
            var operation = new OpenApiOperation
            {
                OperationId = "webhook_" + type.Replace('.', '_'),
                Summary = type,
                Description = "Sent to each of the organisation's endpoints that wants this event, signed following Standard Webhooks. "
                              + "Answer 2xx within the timeout; anything else is retried with backoff, and the same webhook-id is kept.",
                Parameters =
                [
                    Header(WebhookSigning.IdHeader, "The delivery's id (msg_…): the same on every retry and redelivery."),
                    Header(WebhookSigning.TimestampHeader, "This attempt's time, in Unix seconds."),
                    Header(WebhookSigning.SignatureHeader, "v1,<Base64 HMAC-SHA256 of id.timestamp.body>, space-separated, one per signing secret."),
                ],
                RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = payload } },
                },
                Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "Received (any 2xx status)." } },
            };
            var item = new OpenApiPathItem();
            item.AddOperation(HttpMethod.Post, operation);
            document.Webhooks[type] = item;
        }
    }

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = true,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
