Console.WriteLine("The evaluation is not written yet.");
return 1;
