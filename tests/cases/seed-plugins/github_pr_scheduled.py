import requests
import json
from datetime import datetime

def process_scheduled_call(influxdb3_local, call_time, args=None):
    """
    Scheduled plugin that retrieves GitHub PR data on a regular schedule.
    
    This plugin calls the github_prs endpoint to fetch PR merge data for a specified repository.
    The data is automatically written to the database by the github_prs endpoint.
    
    Args:
        influxdb3_local: Local InfluxDB API client
        call_time: Time when the trigger was called
        args: Optional arguments passed from the trigger configuration
            - github_token: GitHub API token
            - repo: GitHub repository (default: "influxdata/docs-v2")
            - time_period: Time period to retrieve PRs for (default: "week")
            - api_host: InfluxDB API host (default: "http://localhost:9191")
    
    Returns:
        Dictionary containing response data
    """
    # Extract arguments or use defaults
    if not args:
        args = {}
    
    github_token = args.get("github_token", "")
    repo = args.get("repo", "influxdata/docs-v2")
    time_period = args.get("time_period", "week")
    api_host = args.get("api_host", "http://localhost:9191")
    
    # Ensure api_host doesn't have trailing slash
    if api_host.endswith("/"):
        api_host = api_host[:-1]
    
    # Log the start of data collection
    current_time = datetime.now().isoformat()
    influxdb3_local.info(f"Starting GitHub PR data collection at {current_time}")
    
    # Make HTTP request to the github_prs endpoint
    github_url = f"{api_host}/api/v3/engine/github_prs"
    github_params = {
        "repo": repo,
        "time_period": time_period
    }
    
    if github_token:
        github_params["github_token"] = github_token
    
    try:
        influxdb3_local.info(f"Calling github_prs endpoint for {repo} over the last {time_period}...")
        
        response = requests.post(
            github_url,
            headers={"Content-Type": "application/json"},
            data=json.dumps(github_params),
            timeout=30
        )
        
        if response.status_code != 200:
            error_msg = f"GitHub API error: {response.status_code} - {response.text}"
            influxdb3_local.error(error_msg)
            return {"status": "error", "message": error_msg}
        
        # Parse response
        response_data = response.json()
        pr_count = response_data.get("pr_count", 0)
        
        success_msg = f"Successfully fetched {pr_count} PR merges for {repo}"
        influxdb3_local.info(success_msg)
        
        return {
            "status": "success",
            "message": success_msg,
            "pr_count": pr_count,
            "repository": repo,
            "time_period": time_period
        }
            
    except requests.exceptions.RequestException as e:
        error_msg = f"Failed to call github_prs endpoint: {str(e)}"
        influxdb3_local.error(error_msg)
        return {"status": "error", "message": error_msg}
    except Exception as e:
        error_msg = f"Error during GitHub PR data collection: {str(e)}"
        influxdb3_local.error(error_msg)
        return {"status": "error", "message": error_msg}
