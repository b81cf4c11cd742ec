# The Ruby sample from the original Xpenser developer page, verbatim but for two things a test needs:
# the site URL comes from XPENSER_SITE, and instead of a person using a browser the script prints
# auth_url and waits for a line on stdin (sent once the test has approved through the real forms).
require 'oauth'
@consumer=OAuth::Consumer.new "consumer_key", "secret", {:site=>ENV.fetch("XPENSER_SITE")}
@request_token=@consumer.get_request_token
auth_url = @request_token.authorize_url({:oauth_callback => "http://your_address_here.com/callback/"})

# Now go to auth_url using a browser and authorize the request
# you should get redirected to http://your_address_here.com/callback/ on success
puts auth_url
STDOUT.flush
STDIN.gets

@access_token=@request_token.get_access_token
@response = @access_token.get('/api/oauth/expenses/?format=json')
puts @response.code
puts @response.body
