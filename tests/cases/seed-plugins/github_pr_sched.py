def process_schedule_call()
    """
    Schedule plugin that runs the GitHub PR request plugin every hour.
    
    This plugin schedules a call to the GitHub PR request plugin every hour
    to collect PR merge data for the last week.
    
    Args:
        influxdb3_local: Local InfluxDB API client
        args: Optional arguments passed from the trigger configuration
        
    Returns:
        Dictionary containing response data (automatically converted to JSON)
    """
    # Get trigger arguments
    github_token = args.get("github_token")
    time_period = args.get("time_period") or "week"
    
    # Log start of scheduled call
    influxdb3_local.info(f"Scheduling PR merge data collection for the last {time_period}")
    
    # Call the request plugin with the specified parameters
    response = influxdb3_local.call_plugin("github_pr_req.py", github_token=github_token, time_period=time_period)
    
    # Log response
    if response.get("status") == "success":
        success_msg = f"Successfully scheduled PR merge data collection: {response['message']}"
        influxdb3_local.info(success_msg)
    else:
        error_msg = f"Error scheduling PR merge data collection: {response['message']}"
        influxdb3_local.error(error_msg)
    
    return response
