namespace SmartAccountPortal.Domain;

/// <summary>A state change was asked for that the request's current state does not allow.</summary>
public sealed class InvalidTransitionException(string reference, RequestStatus from, string action)
    : InvalidOperationException($"Request {reference} is {from}; it cannot be {action}.")
{
    public RequestStatus From { get; } = from;
}
