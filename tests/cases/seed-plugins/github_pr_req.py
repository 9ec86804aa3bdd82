import requests
import json
from datetime import datetime, timedelta

def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):
    """
    Request plugin that retrieves merged PR data from the GitHub API
    and writes it to the database using line protocol.
    
    This plugin creates an HTTP endpoint that accepts parameters via query string or JSON body
    and returns the processed PR data while also writing it to the database.
    
    Args:
        influxdb3_local: Local InfluxDB API client
        query_parameters: Dictionary of query parameters from the URL
        request_headers: Dictionary of HTTP request headers
        request_body: Request body as a string
        args: Optional arguments passed from the trigger configuration
    
    Returns:
        Dictionary containing response data (automatically converted to JSON)
    """
    # Parse request body if provided
    request_data = {}
    if request_body:
        try:
            request_data = json.loads(request_body)
        except json.JSONDecodeError:
            influxdb3_local.warn("Invalid JSON in request body")
    
    # Get repository from request parameters or use default
    repo = request_data.get("repo") or query_parameters.get("repo") or "influxdata/docs-v2"
    
    # Set up GitHub API request
    headers = {
        "Accept": "application/vnd.github.v3+json",
        "X-GitHub-Api-Version": "2022-11-28"
    }
    
    # Add authentication if available from request or trigger args
    github_token = (
        request_data.get("github_token") or 
        query_parameters.get("github_token") or 
        (args and args.get("github_token"))
    )
    
    if github_token:
        headers["Authorization"] = f"token {github_token}"
    
    # Determine time period from parameters or default to one day
    time_period = (
        request_data.get("time_period") or 
        query_parameters.get("time_period") or 
        (args and args.get("time_period")) or 
        "day"
    )
    
    if time_period == "day":
        days = 1
    elif time_period == "week":
        days = 7
    else:
        days = 1
    
    # Calculate time range for data collection
    since = datetime.utcnow() - timedelta(days=days)
    since_iso = since.strftime("%Y-%m-%dT%H:%M:%SZ")
    
    # Log start of data collection
    influxdb3_local.info(f"Collecting PR merge data for {repo} (master branch) since {since_iso}")
    
    try:
        # Make API request to get merged pull requests
        url = f"https://api.github.com/repos/{repo}/pulls"
        params = {
            "state": "closed",    # Get closed PRs
            "sort": "updated",    # Sort by most recently updated
            "direction": "desc",  # Newest first
            "per_page": 100       # Maximum per page
        }
        response = requests.get(url, headers=headers, params=params)
        
        # Check for API errors
        if response.status_code != 200:
            error_msg = f"GitHub API error: {response.status_code} - {response.text}"
            influxdb3_local.error(error_msg)
            return {"status": "error", "message": error_msg}
        
        # Process PRs to find merged ones on master branch
        pulls = response.json()
        pr_merges_count = 0
        pr_merges = []
        
        for pr in pulls:
            # Skip PRs that haven't been merged
            if not pr.get("merged_at"):
                continue
                
            # Skip PRs not merged to master branch
            if pr.get("base", {}).get("ref") != "master":
                continue
                
            # Check if merge is within our time window
            merged_at = pr["merged_at"]
            merged_time = datetime.strptime(merged_at, "%Y-%m-%dT%H:%M:%SZ")
            
            # Skip older PRs
            if merged_time < since:
                continue
                
            # Convert timestamp to nanoseconds
            timestamp_ns = int(merged_time.timestamp() * 1_000_000_000)
            
            # Extract PR data
            author = pr["user"]["login"]
            pr_number = pr["number"]
            
            # Get detailed PR information to access line counts
            detail_url = pr["url"]
            detail_response = requests.get(detail_url, headers=headers)
            
            if detail_response.status_code != 200:
                influxdb3_local.warn(f"Couldn't get PR details for #{pr_number}")
                lines = 0
            else:
                pr_detail = detail_response.json()
                lines = pr_detail.get("additions", 0) + pr_detail.get("deletions", 0)
            
            # Store PR data for response
            pr_data = {
                "number": pr_number,
                "title": pr["title"],
                "author": author,
                "merged_at": merged_at,
                "lines": lines
            }
            pr_merges.append(pr_data)
            
            # Create line protocol entry using LineBuilder
            line = LineBuilder("gh")
            line.tag("repo", repo)
            line.tag("ref", "master")
            line.string_field("activity_type", "pr_merge")
            line.int64_field("lines", lines)
            line.string_field("author", author)
            line.time_ns(timestamp_ns)
            
            # Write to database
            influxdb3_local.write(line)
            pr_merges_count += 1
        
        # Log summary
        if pr_merges_count > 0:
            success_msg = f"Wrote {pr_merges_count} PR merge events to database"
            influxdb3_local.info(success_msg)
        else:
            success_msg = f"No PR merge events found for master branch in the specified time period"
            influxdb3_local.info(success_msg)
        
        # Return success response with PR data
        return {
            "status": "success",
            "message": success_msg,
            "repository": repo,
            "time_period": time_period,
            "since": since_iso,
            "pr_count": pr_merges_count,
            "pull_requests": pr_merges
        }
            
    except Exception as e:
        error_msg = f"Error collecting GitHub data: {str(e)}"
        influxdb3_local.error(error_msg)
        return {"status": "error", "message": error_msg}
